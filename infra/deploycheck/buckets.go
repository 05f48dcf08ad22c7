package deploycheck

import (
	"fmt"
	"slices"
)

// CheckBuckets checks that every S3 bucket of the template is kept as
// personal data is kept: all four Block Public Access settings on,
// encryption at rest by default, ACLs off (BucketOwnerEnforced), a bucket
// policy that denies every request without TLS, incomplete multipart
// uploads aborted by a lifecycle rule, and a GuardDuty Malware Protection
// plan scanning what lands in it.
func CheckBuckets(t *Template) []string {
	var p []string
	denied := map[string]bool{}  // buckets with a non-TLS deny
	scanned := map[string]bool{} // buckets with a malware protection plan
	for _, bp := range t.ResourcesOfType("AWS::S3::BucketPolicy") {
		id := LookupString(bp.Properties, "Bucket", "Ref")
		for _, st := range asList(Lookup(bp.Properties, "PolicyDocument", "Statement")) {
			tls := Lookup(st, "Condition", "Bool", "aws:SecureTransport")
			if LookupString(st, "Effect") == "Deny" && LookupString(st, "Principal") == "*" && (tls == "false" || tls == false) &&
				slices.Contains(append(asStrings(Lookup(st, "Action")), LookupString(st, "Action")), "s3:*") {
				denied[id] = true
			}
		}
	}
	for _, plan := range t.ResourcesOfType("AWS::GuardDuty::MalwareProtectionPlan") {
		scanned[LookupString(plan.Properties, "ProtectedResource", "S3Bucket", "BucketName", "Ref")] = true
	}
	for _, b := range t.ResourcesOfType("AWS::S3::Bucket") {
		problem := func(format string, args ...any) {
			p = append(p, fmt.Sprintf("template.yaml: bucket %s: ", b.ID)+fmt.Sprintf(format, args...))
		}
		for _, setting := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
			if Lookup(b.Properties, "PublicAccessBlockConfiguration", setting) != true {
				problem("PublicAccessBlockConfiguration.%s must be true", setting)
			}
		}
		encrypted := false
		for _, rule := range asList(Lookup(b.Properties, "BucketEncryption", "ServerSideEncryptionConfiguration")) {
			switch LookupString(rule, "ServerSideEncryptionByDefault", "SSEAlgorithm") {
			case "AES256", "aws:kms", "aws:kms:dsse":
				encrypted = true
			}
		}
		if !encrypted {
			problem("no default encryption (BucketEncryption with SSEAlgorithm AES256 or aws:kms)")
		}
		owned := false
		for _, rule := range asList(Lookup(b.Properties, "OwnershipControls", "Rules")) {
			owned = owned || LookupString(rule, "ObjectOwnership") == "BucketOwnerEnforced"
		}
		if !owned {
			problem("OwnershipControls must be BucketOwnerEnforced (ACLs off)")
		}
		if !denied[b.ID] {
			problem("no bucket policy denies s3:* to every principal when aws:SecureTransport is false")
		}
		aborts := false
		for _, rule := range asList(Lookup(b.Properties, "LifecycleConfiguration", "Rules")) {
			aborts = aborts || (LookupString(rule, "Status") == "Enabled" && Lookup(rule, "AbortIncompleteMultipartUpload", "DaysAfterInitiation") != nil)
		}
		if !aborts {
			problem("no enabled lifecycle rule aborts incomplete multipart uploads")
		}
		if !scanned[b.ID] {
			problem("no AWS::GuardDuty::MalwareProtectionPlan protects it")
		}
	}
	return p
}
