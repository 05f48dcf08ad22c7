package dynamotest_test

import (
	"reflect"
	"testing"

	"github.com/truora/minidyn/core"
	"github.com/truora/minidyn/types"
)

// The embedded minidyn keeps items in a compact encoding (the patch in
// third_party/minidyn): every attribute type, nested maps and lists, empty
// values and sets come back from it exactly as they were put.
func TestMinidynStoredItemsRoundTrip(t *testing.T) {
	str := func(s string) *string { return &s }
	yes, no := true, false
	item := map[string]*types.Item{
		"pk":      {S: str("review#rev-1")},
		"empty":   {S: str("")},
		"n":       {N: str("-12.5")},
		"b":       {B: []byte{0, 1, 2, 255}},
		"emptyB":  {B: []byte{}},
		"yes":     {BOOL: &yes},
		"no":      {BOOL: &no},
		"null":    {NULL: &yes},
		"ss":      {SS: []*string{str("a"), str("b")}},
		"ns":      {NS: []*string{str("1"), str("2.5")}},
		"bs":      {BS: [][]byte{{1}, {2, 3}}},
		"l":       {L: []*types.Item{{S: str("x")}, {N: str("3")}, {L: []*types.Item{}}, {M: map[string]*types.Item{"k": {BOOL: &no}}}}},
		"emptyL":  {L: []*types.Item{}},
		"m":       {M: map[string]*types.Item{"name": {S: str("Ana")}, "tags": {SS: []*string{str("x")}}, "inner": {M: map[string]*types.Item{}}}},
		"emptyM":  {M: map[string]*types.Item{}},
		"unicode": {S: str("Smörgåsbord ☕")},
	}
	got := core.EncodeItem(item).Decode()
	if !reflect.DeepEqual(got, item) {
		t.Errorf("decoded item differs:\n got %#v\nwant %#v", got, item)
	}
}
