package stack

import (
	"encoding/json"
	"net/http"
	"strings"
)

// withListTables answers DynamoDB's ListTables, which minidyn lacks, with
// the stack's tables, so `aws dynamodb list-tables` works against the local
// endpoint; everything else goes to minidyn.
func withListTables(h http.Handler, tables ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".ListTables") {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		json.NewEncoder(w).Encode(map[string]any{"TableNames": tables})
	})
}
