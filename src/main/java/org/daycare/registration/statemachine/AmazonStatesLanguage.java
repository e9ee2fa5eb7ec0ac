package org.daycare.registration.statemachine;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.daycare.registration.statemachine.StateMachine.State;
import org.daycare.registration.statemachine.StateMachine.Transition;

/**
 * The state machine as Amazon States Language (GET /state-machine.asl.json), to paste into Step Functions: tasks as
 * Lambda Task states, waiting states as {@code .waitForTaskToken} tasks, routers as Choice states on
 * {@code $.statusCode} (NumericEquals), the ends as Succeed and Fail states with their error and cause. Every
 * {@code Resource} and function ARN is a placeholder ({@code REGION}, {@code ACCOUNT_ID}) to replace.
 */
public final class AmazonStatesLanguage {

    static final String REGION = "REGION";
    static final String ACCOUNT_ID = "ACCOUNT_ID";
    private static final Pattern NUMERIC = Pattern.compile("^(\\$\\.[A-Za-z0-9_.]+) == (-?\\d+)$");
    private static final Pattern NOT_BLANK = Pattern.compile("^(\\$\\.[A-Za-z0-9_.]+) is not blank$");

    private AmazonStatesLanguage() {
    }

    public static ObjectNode of(StateMachine machine, ObjectMapper json) {
        ObjectNode asl = json.createObjectNode();
        asl.put("Comment", "daycare-registration, exported from its Camel routes; replace " + REGION + " and "
                + ACCOUNT_ID + " in the ARNs");
        asl.put("StartAt", machine.startAt());
        ObjectNode states = asl.putObject("States");
        for (State state : machine.states()) {
            states.set(state.name(), stateOf(state, machine.from(state.name()), json));
        }
        return asl;
    }

    private static ObjectNode stateOf(State state, List<Transition> out, ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        switch (state.type()) {
            case task -> {
                node.put("Type", "Task");
                node.put("Resource", function(state.route()));
                next(node, out);
            }
            case wait -> {
                node.put("Type", "Task");
                node.put("Resource", "arn:aws:states:::lambda:invoke.waitForTaskToken");
                ObjectNode parameters = node.putObject("Parameters");
                parameters.put("FunctionName", function(state.route()));
                ObjectNode payload = parameters.putObject("Payload");
                payload.put("input.$", "$");
                payload.put("taskToken.$", "$$.Task.Token");
                next(node, out);
            }
            case choice -> {
                node.put("Type", "Choice");
                ArrayNode choices = node.putArray("Choices");
                for (Transition transition : out) {
                    if (transition.condition() == null) {
                        node.put("Default", transition.to());
                    } else {
                        ObjectNode rule = rule(transition.condition(), json);
                        rule.put("Next", transition.to());
                        choices.add(rule);
                    }
                }
            }
            case succeed -> node.put("Type", "Succeed");
            case fail -> {
                node.put("Type", "Fail");
                node.put("Error", state.error());
                node.put("Cause", state.cause());
            }
        }
        return node;
    }

    /** A task goes on to the one state after it (its router), or ends the execution when nothing follows. */
    private static void next(ObjectNode node, List<Transition> out) {
        if (out.isEmpty()) {
            node.put("End", true);
        } else {
            node.put("Next", out.get(0).to());
        }
    }

    /** A Choice rule: "$.statusCode == 200" as NumericEquals; "$.x is not blank" as present and not empty. */
    private static ObjectNode rule(String condition, ObjectMapper json) {
        ObjectNode rule = json.createObjectNode();
        Matcher numeric = NUMERIC.matcher(condition);
        if (numeric.matches()) {
            rule.put("Variable", numeric.group(1));
            rule.put("NumericEquals", Long.parseLong(numeric.group(2)));
            return rule;
        }
        Matcher notBlank = NOT_BLANK.matcher(condition);
        if (notBlank.matches()) {
            ArrayNode all = rule.putArray("And");
            all.addObject().put("Variable", notBlank.group(1)).put("IsPresent", true);
            all.addObject().putObject("Not").put("Variable", notBlank.group(1)).put("StringEquals", "");
            return rule;
        }
        throw new IllegalStateException("no States Language rule for the condition " + condition);
    }

    private static String function(String route) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT_ID + ":function:" + route;
    }
}
