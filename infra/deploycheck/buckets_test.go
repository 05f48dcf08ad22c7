package deploycheck

import (
	"testing"
)

func TestBucketsAreKeptAsPersonalData(t *testing.T) {
	reportProblems(t, CheckBuckets(mustRepo(t).tpl))
}

func TestBucketChecksFindBrokenBuckets(t *testing.T) {
	tests := []struct {
		name string
		edit func(raw map[string]any)
		want string
	}{
		{"public policies allowed", func(raw map[string]any) {
			LookupMap(props(raw, "DocumentsBucket"), "PublicAccessBlockConfiguration")["BlockPublicPolicy"] = false
		}, "PublicAccessBlockConfiguration.BlockPublicPolicy must be true"},
		{"no encryption", func(raw map[string]any) { delete(props(raw, "DocumentsBucket"), "BucketEncryption") },
			"no default encryption"},
		{"ACLs on", func(raw map[string]any) {
			props(raw, "DocumentsBucket")["OwnershipControls"] = map[string]any{"Rules": []any{map[string]any{"ObjectOwnership": "ObjectWriter"}}}
		}, "OwnershipControls must be BucketOwnerEnforced"},
		{"plain HTTP allowed", func(raw map[string]any) {
			delete(LookupMap(raw, "Resources"), "DocumentsBucketPolicy")
		}, "no bucket policy denies s3:*"},
		{"the TLS statement allows", func(raw map[string]any) {
			st := asList(Lookup(props(raw, "DocumentsBucketPolicy"), "PolicyDocument", "Statement"))[0].(map[string]any)
			st["Effect"] = "Allow"
		}, "no bucket policy denies s3:*"},
		{"incomplete uploads kept", func(raw map[string]any) {
			lc := LookupMap(props(raw, "DocumentsBucket"), "LifecycleConfiguration")
			var kept []any
			for _, r := range asList(lc["Rules"]) {
				if Lookup(r, "AbortIncompleteMultipartUpload") == nil {
					kept = append(kept, r)
				}
			}
			lc["Rules"] = kept
		}, "no enabled lifecycle rule aborts incomplete multipart uploads"},
		{"not scanned", func(raw map[string]any) {
			delete(LookupMap(raw, "Resources"), "DocumentsMalwareProtectionPlan")
		}, "no AWS::GuardDuty::MalwareProtectionPlan protects it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, _ := broken(t, tc.edit)
			wantProblem(t, CheckBuckets(tpl), "bucket DocumentsBucket: "+tc.want)
		})
	}
}
