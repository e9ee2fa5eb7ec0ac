package org.daycare.registration.statemachine;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * The workflow as the running CamelContext defines it (GET /state-machine): its states, named as executions' histories
 * name them, and the transitions between them with their conditions. Read from the routes by
 * {@link StateMachineReader}; the console draws it and {@link AmazonStatesLanguage} exports it.
 */
@Schema(description = "The workflow's states and transitions, read from the running routes")
public record StateMachine(
        @Schema(requiredMode = RequiredMode.REQUIRED) String startAt,
        @Schema(requiredMode = RequiredMode.REQUIRED) List<State> states,
        @Schema(requiredMode = RequiredMode.REQUIRED) List<Transition> transitions) {

    public enum Type { task, choice, wait, succeed, fail }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "StateMachineState")
    public record State(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "as an execution's history names it") String name,
            @Schema(requiredMode = RequiredMode.REQUIRED) Type type,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "the Camel route it is in") String route,
            @Schema(description = "a fail state's error") String error,
            @Schema(description = "a fail state's cause") String cause) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "StateMachineTransition")
    public record Transition(
            @Schema(requiredMode = RequiredMode.REQUIRED) String from,
            @Schema(requiredMode = RequiredMode.REQUIRED) String to,
            @Schema(description = "a router's condition, e.g. $.statusCode == 200; absent: always, or otherwise")
            String condition) {
    }

    public State state(String name) {
        return states.stream().filter(state -> state.name().equals(name)).findFirst().orElse(null);
    }

    public List<Transition> from(String name) {
        return transitions.stream().filter(transition -> transition.from().equals(name)).toList();
    }
}
