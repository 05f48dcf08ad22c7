package deploycheck

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseTemplateShortForms(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       any
	}{
		{"Ref", "v: !Ref Table", map[string]any{"Ref": "Table"}},
		{"GetAtt dotted", "v: !GetAtt Table.Arn", map[string]any{"Fn::GetAtt": []any{"Table", "Arn"}}},
		{"GetAtt list", "v: !GetAtt [Table, StreamArn]", map[string]any{"Fn::GetAtt": []any{"Table", "StreamArn"}}},
		{"Sub string", "v: !Sub candor-${Stage}", map[string]any{"Fn::Sub": "candor-${Stage}"}},
		{"Sub with variables", "v: !Sub\n  - ${A}/${B}\n  - B: !Ref X", map[string]any{"Fn::Sub": []any{"${A}/${B}", map[string]any{"B": map[string]any{"Ref": "X"}}}}},
		{"nested If and Equals", `v: !If [C, !Ref A, ""]`, map[string]any{"Fn::If": []any{"C", map[string]any{"Ref": "A"}, ""}}},
		{"Not Equals", `v: !Not [!Equals [!Ref P, ""]]`, map[string]any{"Fn::Not": []any{map[string]any{"Fn::Equals": []any{map[string]any{"Ref": "P"}, ""}}}}},
		{"a number stays a number", "v: 432000", 432000},
		{"a quoted number is a string", `v: "60"`, "60"},
		{"a Ref's argument is a string even if numeric", "v: !Ref 123", map[string]any{"Ref": "123"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := ParseTemplate([]byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if got := tpl.Raw["v"]; !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestParseTemplateRefuses(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"an unknown tag", "v: !Reff Table", "unknown tag !Reff"},
		{"a GetAtt without attribute", "v: !GetAtt Table", "is not Resource.Attribute"},
		{"a list document", "- a", "not a mapping"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTemplate([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

const evalTemplate = `
Parameters:
  Stage: { Type: String, Default: dev }
  Audience: { Type: CommaDelimitedList, Default: "a, b" }
  Empty: { Type: String, Default: "" }
  Required: { Type: String }
Conditions:
  IsEmpty: !Equals [!Ref Empty, ""]
  IsProd: !Equals [!Ref Stage, prod]
  NotProd: !Not [!Equals [!Ref Stage, prod]]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties: { TableName: !Sub "candor-${Stage}" }
  Fn:
    Type: AWS::Serverless::Function
    Properties: { FunctionName: !Sub "${Table}-fn" }
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties: { Name: machine }
  Loop:
    Type: AWS::Serverless::Function
    Properties: { FunctionName: !Ref Loop }
`

func TestEval(t *testing.T) {
	tpl, err := ParseTemplate([]byte(evalTemplate))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		params map[string]string
		expr   string
		want   any
	}{
		{"a default", nil, "!Ref Stage", "dev"},
		{"an override", map[string]string{"Stage": "prod"}, "!Ref Stage", "prod"},
		{"a list parameter", nil, "!Ref Audience", []any{"a", "b"}},
		{"pseudo parameters", nil, "!Sub ${AWS::Partition}:${AWS::Region}:${AWS::AccountId}", "aws:us-east-1:123456789012"},
		{"a table's Ref is its name", nil, "!Ref Table", "candor-dev"},
		{"a table's Arn", nil, "!GetAtt Table.Arn", "arn:aws:dynamodb:us-east-1:123456789012:table/candor-dev"},
		{"Sub of an attribute", nil, "!Sub ${Table.Arn}/index/GSI1", "arn:aws:dynamodb:us-east-1:123456789012:table/candor-dev/index/GSI1"},
		{"a function's Arn from its name", nil, "!GetAtt Fn.Arn", "arn:aws:lambda:us-east-1:123456789012:function:candor-dev-fn"},
		{"a state machine's Ref is its ARN", nil, "!Ref Machine", "arn:aws:states:us-east-1:123456789012:stateMachine:machine"},
		{"Sub variables", nil, "!Sub [\"${X}-${Stage}\", {X: !Ref Table}]", "candor-dev-dev"},
		{"Sub literal", nil, "!Sub ${!Literal}", "${Literal}"},
		{"If true", nil, "!If [IsEmpty, yes, no]", "yes"},
		{"If of a negated condition", map[string]string{"Stage": "prod"}, "!If [NotProd, yes, no]", "no"},
		{"NoValue disappears", nil, "[a, !If [IsProd, b, !Ref AWS::NoValue]]", []any{"a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ParseTemplate([]byte("v: " + tc.expr))
			if err != nil {
				t.Fatal(err)
			}
			got, err := NewEval(tpl, tc.params).Value(doc.Raw["v"])
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s = %#v, want %#v", tc.expr, got, tc.want)
			}
		})
	}
	for _, tc := range []struct{ expr, want string }{
		{"!Ref Nothing", "no such parameter or resource"},
		{"!Ref Required", "parameter Required has no value and no default"},
		{"!GetAtt Table.Colour", "has no attribute Colour"},
		{"!If [Unknown, a, b]", `no condition "Unknown"`},
		{"!Ref Loop", "refers to itself"},
		{`!Join ["/", [a, b]]`, "Fn::Join is not supported by the checks"},
	} {
		t.Run("refuses "+tc.expr, func(t *testing.T) {
			doc, err := ParseTemplate([]byte("v: " + tc.expr))
			if err != nil {
				t.Fatal(err)
			}
			_, err = NewEval(tpl, nil).Value(doc.Raw["v"])
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// TestSamConfigOverrides reads parameter_overrides and capabilities in
// both of the forms sam accepts: one string, or a list of strings.
func TestSamConfigOverrides(t *testing.T) {
	want := map[string]string{"Stage": "dev", "JwtAudience": "a,b", "Issuer": "https://x.example/#frag"}
	for _, tc := range []struct{ name, toml string }{
		{"strings", `capabilities = "CAPABILITY_IAM CAPABILITY_AUTO_EXPAND"
parameter_overrides = "Stage=\"dev\" JwtAudience=a,b Issuer=https://x.example/#frag"`},
		{"lists", `capabilities = ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]
parameter_overrides = ["Stage=dev", "JwtAudience=a,b", "Issuer=https://x.example/#frag"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseSamConfig([]byte("version = 0.1\n[default.deploy.parameters]\n" + tc.toml))
			if err != nil {
				t.Fatal(err)
			}
			p := cfg.Parameters("default", "deploy")
			if got := capabilities(p["capabilities"]); !slices.Equal(got, []string{"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"}) {
				t.Errorf("capabilities = %v", got)
			}
			ov, err := overridesOf(p["parameter_overrides"])
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(ov, want) {
				t.Errorf("overrides = %v, want %v", ov, want)
			}
		})
	}
	if _, err := ParameterOverrides(`A="unterminated`); err == nil {
		t.Error("an unterminated quote was accepted")
	}
}

func TestBuildTargets(t *testing.T) {
	got, err := BuildTargets([]byte("GO ?= go\n\nbuild-ApiFunction: need\n\t$(LAMBDA) -o $(ARTIFACTS_DIR)/bootstrap ./functions/api\n\nbuild-Other:\n\techo nothing\nrun:\n\tgo run ./functions/x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["ApiFunction"].Package != "functions/api" || got["Other"].Package != "" {
		t.Errorf("targets = %+v", got)
	}
	if _, err := BuildTargets([]byte("build-A:\n\tgo build ./functions/a ./functions/b\n")); err == nil {
		t.Error("a target building two functions was accepted")
	}
}
