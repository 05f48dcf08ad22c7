package store

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ErrBadCursor: a pagination cursor that this store did not hand out for this list.
var ErrBadCursor = errors.New("invalid cursor")

// Page asks for one page of a list.
type Page struct {
	Limit  int    // 1..100
	Cursor string // "" for the first page; otherwise a NextCursor from the same list
}

// encodeCursor turns a LastEvaluatedKey into an opaque cursor ("" at the end).
func encodeCursor(lek map[string]types.AttributeValue) string {
	if len(lek) == 0 {
		return ""
	}
	m := make(map[string]string, len(lek))
	for k, v := range lek {
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			m[k] = s.Value
		}
	}
	b, _ := json.Marshal(m) // a map of strings always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor turns a cursor back into an ExclusiveStartKey for a query on
// index partition attribute partAttr = partValue. A cursor for another list
// (another business's, say) or a forged one is ErrBadCursor, so a cursor can
// never move a query into a partition the caller may not read.
func decodeCursor(cursor, partAttr, partValue string, attrs ...string) (map[string]types.AttributeValue, error) {
	if cursor == "" {
		return nil, nil
	}
	if len(cursor) > 2048 {
		return nil, ErrBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, ErrBadCursor
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, ErrBadCursor
	}
	want := append([]string{AttrPK, AttrSK, partAttr}, attrs...)
	got := slices.Sorted(maps.Keys(m))
	slices.Sort(want)
	if !slices.Equal(got, slices.Compact(want)) || m[partAttr] != partValue {
		return nil, ErrBadCursor
	}
	out := make(map[string]types.AttributeValue, len(m))
	for k, v := range m {
		out[k] = str(v)
	}
	return out, nil
}
