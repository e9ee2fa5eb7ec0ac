package org.daycare.registration.statemachine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.model.language.MethodCallExpression;
import org.apache.camel.support.DefaultExchange;
import org.daycare.registration.statemachine.StateMachine.State;
import org.daycare.registration.statemachine.StateMachine.Transition;
import org.daycare.registration.statemachine.StateMachine.Type;
import org.daycare.registration.workflow.ConfigurationSwitch;
import org.daycare.registration.workflow.Executions;
import org.daycare.registration.workflow.WorkflowError;

/**
 * Reads the state machine off the running CamelContext's route definitions (routes/registration-workflow.camel.yaml),
 * never off a list kept by hand: add a state to the routes and it is here.
 *
 * <p>How the routes say it: a route enters a state with {@code executions.entered(..., 'NAME')}; a named choice is a
 * router (a Choice state) whose jsonpath filters {@code $[?(@.statusCode == N)]} are its conditions; a branch goes on
 * to the state its {@code direct:} target enters. The ends are the routes that call {@code executions.failed(...,
 * 'ERROR', ...)} (a Fail state with the error's end name and cause), {@code succeeded} and {@code cancelled}. A branch
 * to {@code direct:execution-waiting} means the state it leaves waits: it is a wait state, and the branch leads to the
 * router that takes it up again in {@code resume-execution}. A choice decided by a {@link ConfigurationSwitch} that
 * always answers the same is drawn as the branch it takes.
 */
public final class StateMachineReader {

    static final String START_ROUTE_URI = "direct:start-execution";
    static final String RESUME_ROUTE = "resume-execution";
    static final String WAITING_URI = "direct:execution-waiting";
    private static final String ENGINE = "executions";
    private static final Pattern QUOTED = Pattern.compile("'([^']+)'");
    private static final Pattern STATUS_FILTER = Pattern.compile("^\\$\\[\\?\\(@\\.(.+)\\)]$");

    private final CamelContext camelContext;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public StateMachineReader(CamelContext camelContext, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.camelContext = camelContext;
        this.json = json;
    }

    /** The state machine as the routes define it now. */
    public StateMachine read() {
        return new Walk(camelContext).run();
    }

    /** The same, as Amazon States Language. */
    public com.fasterxml.jackson.databind.JsonNode asl() {
        return AmazonStatesLanguage.of(read(), json);
    }

    /** One reading: the states and transitions found, route by route. */
    private static final class Walk {

        private final CamelContext camelContext;
        private final Map<String, RouteDefinition> routesByUri = new HashMap<>();
        private final Map<String, State> states = new LinkedHashMap<>();
        private final List<Transition> transitions = new ArrayList<>();
        /** The state each route's exchange comes to first, once known (a null value: none). */
        private final Map<String, Optional<String>> entries = new HashMap<>();
        private final Set<String> walked = new HashSet<>();

        Walk(CamelContext camelContext) {
            this.camelContext = camelContext;
            for (RouteDefinition route : camelContext.getCamelContextExtension().getContextPlugin(Model.class)
                    .getRouteDefinitions()) {
                routesByUri.put(route.getInput().getEndpointUri(), route);
            }
        }

        StateMachine run() {
            String start = entryOf(START_ROUTE_URI);
            if (start == null) {
                throw new IllegalStateException("no route " + START_ROUTE_URI + " entering a state");
            }
            return new StateMachine(start, List.copyOf(states.values()), List.copyOf(transitions));
        }

        /** The state a {@code direct:} target comes to first (walking its route once), or null for none. */
        String entryOf(String uri) {
            Optional<String> known = entries.get(uri);
            if (known != null) {
                return known.orElse(null);
            }
            RouteDefinition route = routesByUri.get(uri);
            if (route == null) {
                entries.put(uri, Optional.empty());
                return null;
            }
            // the entry first (a cycle back into this route finds it), then the rest of the route
            String entry = firstStateOf(route);
            entries.put(uri, Optional.ofNullable(entry));
            walk(route);
            return entry;
        }

        /** The first state a route names: the state it enters or ends in, its router, or where it sends on. */
        private String firstStateOf(RouteDefinition route) {
            for (ProcessorDefinition<?> node : route.getOutputs()) {
                String named = stateNamedBy(node);
                if (named != null) {
                    return named;
                }
                if (node instanceof ChoiceDefinition choice) {
                    if (choice.getId() != null && !RESUME_ROUTE.equals(route.getId())) {
                        List<Branch> branches = branches(choice);
                        if (branches.size() > 1 || branches.stream().anyMatch(b -> b.condition() != null)) {
                            return choice.getId();
                        }
                        return branches.isEmpty() ? null : entryOf(firstTarget(branches.get(0).outputs()));
                    }
                    return null;
                }
                if (node instanceof ToDefinition to) {
                    return entryOf(to.getUri());
                }
            }
            return null;
        }

        private void walk(RouteDefinition route) {
            if (!walked.add(route.getId())) {
                return;
            }
            String current = null;
            for (ProcessorDefinition<?> node : route.getOutputs()) {
                String named = stateNamedBy(node);
                if (named != null) {
                    addState(named, node, route);
                    link(current, named, null);
                    current = named;
                } else if (node instanceof ToDefinition to) {
                    link(current, entryOf(to.getUri()), null);
                } else if (node instanceof ChoiceDefinition choice && !RESUME_ROUTE.equals(route.getId())) {
                    current = walkChoice(choice, route, current);
                }
            }
        }

        /** A router: drawn as a choice state with its branches, or, decided by configuration, as the branch taken. */
        private String walkChoice(ChoiceDefinition choice, RouteDefinition route, String current) {
            List<Branch> branches = branches(choice);
            boolean drawn = branches.size() > 1 || branches.stream().anyMatch(b -> b.condition() != null);
            if (!drawn) {
                String target = branches.isEmpty() ? null : targetOf(branches.get(0), current);
                link(current, target, null);
                return target;
            }
            String name = choice.getId();
            states.putIfAbsent(name, new State(name, Type.choice, route.getId(), null, null));
            link(current, name, null);
            for (Branch branch : branches) {
                link(name, targetOf(branch, current), branch.condition());
            }
            return name;
        }

        /** Where a branch leads: the state its first direct: target enters, or, waiting, the resuming router. */
        private String targetOf(Branch branch, String owner) {
            String uri = firstTarget(branch.outputs());
            if (WAITING_URI.equals(uri)) {
                if (owner != null) {
                    State waiting = states.get(owner);
                    states.put(owner, new State(waiting.name(), Type.wait, waiting.route(), null, null));
                }
                return owner == null ? null : resumptionOf(owner);
            }
            return uri == null ? null : entryOf(uri);
        }

        /** The router resume-execution sends a waiting state's execution to when it is taken up again. */
        private String resumptionOf(String waitingState) {
            RouteDefinition resume = routesByUri.values().stream().filter(r -> RESUME_ROUTE.equals(r.getId()))
                    .findFirst().orElse(null);
            if (resume == null) {
                return null;
            }
            Exchange probe = new DefaultExchange(camelContext);
            probe.setProperty(Executions.RESUMED_STATE, waitingState);
            for (ProcessorDefinition<?> node : resume.getOutputs()) {
                if (node instanceof ChoiceDefinition choice) {
                    for (WhenDefinition when : choice.getWhenClauses()) {
                        ExpressionDefinition expression = when.getExpression();
                        if (camelContext.resolveLanguage(expression.getLanguage())
                                .createPredicate(expression.getExpression()).matches(probe)) {
                            return entryOf(firstTarget(when.getOutputs()));
                        }
                    }
                    return choice.getOtherwise() == null ? null : entryOf(firstTarget(choice.getOtherwise().getOutputs()));
                }
                if (node instanceof ToDefinition to) {
                    return entryOf(to.getUri());
                }
            }
            return null;
        }

        /** The state a step enters or ends in (the engine's entered, failed, succeeded, cancelled), or null. */
        private static String stateNamedBy(ProcessorDefinition<?> node) {
            if (!(node instanceof BeanDefinition bean) || !ENGINE.equals(bean.getRef()) || bean.getMethod() == null) {
                return null;
            }
            String method = bean.getMethod();
            if (method.startsWith("entered(")) {
                return quoted(method);
            }
            if (method.startsWith("failed(")) {
                return WorkflowError.valueOf(quoted(method)).endState();
            }
            if (method.startsWith("succeeded(")) {
                return Executions.SUCCEEDED_STATE;
            }
            if (method.startsWith("cancelled(")) {
                return Executions.CANCELLED_STATE;
            }
            return null;
        }

        private void addState(String name, ProcessorDefinition<?> node, RouteDefinition route) {
            if (states.containsKey(name)) {
                return;
            }
            String method = ((BeanDefinition) node).getMethod();
            if (method.startsWith("failed(")) {
                WorkflowError error = WorkflowError.valueOf(quoted(method));
                states.put(name, new State(name, Type.fail, route.getId(), error.name(), error.cause()));
            } else if (method.startsWith("cancelled(")) {
                states.put(name, new State(name, Type.fail, route.getId(), "Cancelled", "The registration was cancelled."));
            } else if (method.startsWith("succeeded(")) {
                states.put(name, new State(name, Type.succeed, route.getId(), null, null));
            } else {
                states.put(name, new State(name, Type.task, route.getId(), null, null));
            }
        }

        private void link(String from, String to, String condition) {
            if (from == null || to == null) {
                return;
            }
            Transition transition = new Transition(from, to, condition);
            if (!transitions.contains(transition)) {
                transitions.add(transition);
            }
        }

        /** A router's branches that can be taken under this configuration, each with its condition (null: otherwise). */
        private List<Branch> branches(ChoiceDefinition choice) {
            List<Branch> branches = new ArrayList<>();
            for (WhenDefinition when : choice.getWhenClauses()) {
                ExpressionDefinition expression = when.getExpression();
                if (expression instanceof MethodCallExpression call
                        && camelContext.getRegistry().lookupByName(call.getRef()) instanceof ConfigurationSwitch decided) {
                    Optional<Boolean> always = decided.always();
                    if (always.isEmpty()) {
                        branches.add(new Branch(decided.condition(), when.getOutputs()));
                    } else if (always.get()) {
                        return List.of(new Branch(null, when.getOutputs())); // the otherwise is never taken
                    }
                    continue; // never taken
                }
                branches.add(new Branch(conditionOf(expression), when.getOutputs()));
            }
            if (choice.getOtherwise() != null && firstTarget(choice.getOtherwise().getOutputs()) != null) {
                branches.add(new Branch(null, choice.getOtherwise().getOutputs()));
            }
            return branches;
        }

        /** "$.statusCode == 200" for the routers' jsonpath filters; any other predicate as written. */
        private static String conditionOf(ExpressionDefinition expression) {
            String text = expression.getExpression().strip();
            Matcher filter = STATUS_FILTER.matcher(text);
            return filter.matches() ? "$." + filter.group(1).strip() : text;
        }

        private static String firstTarget(List<ProcessorDefinition<?>> outputs) {
            for (ProcessorDefinition<?> node : outputs) {
                if (node instanceof ToDefinition to) {
                    return to.getUri();
                }
            }
            return null;
        }

        private static String quoted(String method) {
            Matcher quoted = QUOTED.matcher(method);
            if (!quoted.find()) {
                throw new IllegalStateException("no state name in " + method);
            }
            return quoted.group(1);
        }
    }

    private record Branch(String condition, List<ProcessorDefinition<?>> outputs) {
    }
}
