package taskrun_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/workflow/taskrun"
)

// TestTaskErrorIsTheOneTable: what no retry can mend is a PermanentError
// (no Retry block names it), everything else a TransientError.
func TestTaskErrorIsTheOneTable(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		permanent bool
	}{
		{"an object not found", fmt.Errorf("investigation case: %w", moderation.ErrNotFound), true},
		{"invalid input", moderation.InvalidField("reply", "is required"), true},
		{"a link gone", moderation.Gone(moderation.CodeGone, "closed"), true},
		{"a render that can never succeed", fmt.Errorf("send: %w", mail.ErrRender), true},
		{"SES rejects the message", &smithy.GenericAPIError{Code: "MessageRejected", Message: "Email address is not verified."}, true},
		{"explicitly permanent", taskrun.Permanent(errors.New("unknown action")), true},
		{"a state that changed under the task", fmt.Errorf("step: %w", moderation.ErrChanged), false},
		{"SES throttling", &smithy.GenericAPIError{Code: "Throttling", Message: "Maximum sending rate exceeded."}, false},
		{"DynamoDB throttling", &smithy.GenericAPIError{Code: "ProvisionedThroughputExceededException"}, false},
		{"a network failure", errors.New("connection reset by peer"), false},
		{"a deadline", context.DeadlineExceeded, false},
	}
	for _, tt := range tests {
		got := taskrun.TaskError(tt.err)
		var perm *taskrun.PermanentError
		var trans *taskrun.TransientError
		switch {
		case tt.permanent && !errors.As(got, &perm):
			t.Errorf("%s: TaskError = %T, want *PermanentError", tt.name, got)
		case !tt.permanent && !errors.As(got, &trans):
			t.Errorf("%s: TaskError = %T, want *TransientError", tt.name, got)
		}
		if !errors.Is(got, tt.err) {
			t.Errorf("%s: the classified error lost its cause", tt.name)
		}
	}
	if taskrun.TaskError(nil) != nil {
		t.Error("TaskError(nil) is not nil")
	}
}
