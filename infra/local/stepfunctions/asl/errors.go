package asl

// Error is a runtime error raised by the language, with one of the predefined
// error names (spec "Appendix A: Predefined Error Codes") and a human-readable
// cause. The runtime matches Name against Retriers and Catchers.
type Error struct{ Name, Cause string }

// Error returns "Name: Cause".
func (e *Error) Error() string {
	if e.Cause == "" {
		return e.Name
	}
	return e.Name + ": " + e.Cause
}

// Predefined error names (spec "Errors", Appendix A, and AWS's States.Runtime
// and States.DataLimitExceeded).
const (
	ErrALL                             = "States.ALL"
	ErrTimeout                         = "States.Timeout"
	ErrHeartbeatTimeout                = "States.HeartbeatTimeout"
	ErrTaskFailed                      = "States.TaskFailed"
	ErrPermissions                     = "States.Permissions"
	ErrResultPathMatchFailure          = "States.ResultPathMatchFailure"
	ErrParameterPathFailure            = "States.ParameterPathFailure"
	ErrBranchFailed                    = "States.BranchFailed"
	ErrNoChoiceMatched                 = "States.NoChoiceMatched"
	ErrIntrinsicFailure                = "States.IntrinsicFailure"
	ErrExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold"
	ErrRuntime                         = "States.Runtime"
	ErrDataLimitExceeded               = "States.DataLimitExceeded"
)
