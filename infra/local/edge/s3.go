package edge

import (
	"net/http"
	"strings"
)

// s3Operation names an S3 REST call as the S3 API does, from its method,
// whether its path names a bucket or an object (path-style), and the
// sub-resource in its query: GetObject, PutObject, ListObjectsV2,
// PostObject (a browser form), and so on; "?" for what it cannot name.
func s3Operation(r *http.Request) string {
	path := strings.TrimPrefix(r.URL.Path, "/")
	bucket, key, _ := strings.Cut(path, "/")
	q := r.URL.Query()
	has := func(name string) bool { return q.Has(name) }
	switch {
	case bucket == "":
		if r.Method == http.MethodGet {
			return "ListBuckets"
		}
	case key == "":
		switch r.Method {
		case http.MethodGet:
			switch {
			case q.Get("list-type") == "2":
				return "ListObjectsV2"
			case has("location"):
				return "GetBucketLocation"
			case has("versioning"):
				return "GetBucketVersioning"
			case has("uploads"):
				return "ListMultipartUploads"
			case has("versions"):
				return "ListObjectVersions"
			}
			return "ListObjects"
		case http.MethodHead:
			return "HeadBucket"
		case http.MethodPut:
			return "CreateBucket"
		case http.MethodDelete:
			return "DeleteBucket"
		case http.MethodPost:
			if has("delete") {
				return "DeleteObjects"
			}
			if strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "multipart/form-data") {
				return "PostObject"
			}
		}
	default:
		switch r.Method {
		case http.MethodGet:
			if has("tagging") {
				return "GetObjectTagging"
			}
			if has("uploadId") {
				return "ListParts"
			}
			return "GetObject"
		case http.MethodHead:
			return "HeadObject"
		case http.MethodPut:
			switch {
			case has("tagging"):
				return "PutObjectTagging"
			case has("uploadId") && r.Header.Get("X-Amz-Copy-Source") != "":
				return "UploadPartCopy"
			case has("uploadId"):
				return "UploadPart"
			case r.Header.Get("X-Amz-Copy-Source") != "":
				return "CopyObject"
			}
			return "PutObject"
		case http.MethodDelete:
			switch {
			case has("tagging"):
				return "DeleteObjectTagging"
			case has("uploadId"):
				return "AbortMultipartUpload"
			}
			return "DeleteObject"
		case http.MethodPost:
			switch {
			case has("uploads"):
				return "CreateMultipartUpload"
			case has("uploadId"):
				return "CompleteMultipartUpload"
			}
		}
	}
	return "?"
}
