package deploycheck

import "testing"

// TestObjectPrefixIsTheOneS3Wildcard: an S3 object action may name every
// object under one prefix of a bucket, nothing wider.
func TestObjectPrefixIsTheOneS3Wildcard(t *testing.T) {
	for _, c := range []struct {
		action, res string
		want        bool
	}{
		{"s3:GetObject", "arn:aws:s3:::candor-documents/documents/*", true},
		{"s3:DeleteObject", "arn:aws:s3:::candor-documents/documents/reports/*", true},
		{"s3:GetObject", "arn:aws:s3:::candor-documents/*", false},
		{"s3:GetObject", "arn:aws:s3:::candor-*/documents/*", false},
		{"s3:GetObject", "*", false},
		{"dynamodb:GetItem", "arn:aws:dynamodb:eu-north-1:1:table/t/*", false},
	} {
		if got := objectPrefix(c.action, c.res); got != c.want {
			t.Errorf("objectPrefix(%s, %s) = %v, want %v", c.action, c.res, got, c.want)
		}
	}
}
