package investigation

// Actions are the action names the tasks answer to, for the check against
// the state machine's definition.
var Actions = tasks.Actions
