package core

// Candor's patch (see ../CANDOR.md): a Query reads only its partition.
// Upstream minidyn v0.8.2 evaluates the key condition on every item of the
// table (or, for an index, sorts every item's index key first), so a Query
// costs time in proportion to the table, not to its result. A Query's key
// condition always fixes the partition key with "=", so the items it can
// match are those whose key string starts with that partition's; the loop
// of SearchData then runs on that range only. The key condition is still
// evaluated on each of them, so a range that is too wide changes nothing
// but the time; when the partition key cannot be found in the expression,
// the whole table is read as before.

import (
	"regexp"
	"sort"
	"strings"

	"github.com/truora/minidyn/types"
)

// insertSorted inserts key into the sorted keys, keeping them sorted.
func insertSorted(keys []string, key string) []string {
	pos := sort.SearchStrings(keys, key)
	keys = append(keys, "")
	copy(keys[pos+1:], keys[pos:])
	keys[pos] = key

	return keys
}

var keyEquality = regexp.MustCompile(`(#?[A-Za-z0-9_.\-]+)\s*=\s*(:[A-Za-z0-9_]+)`)

// partitionPrefix is the prefix of the key strings (as keySchema.GetKey
// makes them) of the partition the query's key condition names, and
// whether it could tell.
func (t *Table) partitionPrefix(input QueryInput, ks keySchema) (string, bool) {
	if input.Scan || input.KeyConditionExpression == "" {
		return "", false
	}

	for _, m := range keyEquality.FindAllStringSubmatch(input.KeyConditionExpression, -1) {
		name := m[1]
		if strings.HasPrefix(name, "#") {
			alias, ok := input.Aliases[name]
			if !ok {
				continue
			}

			name = alias
		}

		if name != ks.HashKey {
			continue
		}

		val, ok := input.ExpressionAttributeValues[m[2]]
		if !ok {
			return "", false
		}

		hashOnly := keySchema{HashKey: ks.HashKey}

		hash, err := hashOnly.getKeyValue(t.AttributesDef, map[string]*types.Item{ks.HashKey: val})
		if err != nil {
			return "", false
		}

		if ks.RangeKey != "" {
			return hash + ".", true
		}

		return hash, true
	}

	return "", false
}

// fetchPartition is fetchQueryData narrowed to the query's partition.
func (t *Table) fetchPartition(input QueryInput) (*index, []string) {
	if input.Index == "" {
		prefix, ok := t.partitionPrefix(input, t.KeySchema)
		if !ok {
			return t.fetchQueryData(input)
		}

		return nil, prefixRange(t.SortedKeys, prefix)
	}

	i := t.Indexes[input.Index]

	prefix, ok := t.partitionPrefix(input, i.keySchema)
	if !ok {
		return t.fetchQueryData(input)
	}

	return i, i.startPartitionSearch(input.ScanIndexForward, prefix)
}

// prefixRange is the run of sorted keys that start with prefix.
func prefixRange(keys []string, prefix string) []string {
	lo := sort.SearchStrings(keys, prefix)
	hi := lo

	for hi < len(keys) && strings.HasPrefix(keys[hi], prefix) {
		hi++
	}

	return keys[lo:hi]
}

// startPartitionSearch is startSearch for the index keys that start with
// prefix: it sets sortedRefs to them in the order of the search and
// returns their index keys in ascending order, as SearchData walks them.
func (i *index) startPartitionSearch(scanForward bool, prefix string) []string {
	sel := [][2]string{}

	for pk, ik := range i.refs {
		if strings.HasPrefix(ik, prefix) {
			sel = append(sel, [2]string{pk, ik})
		}
	}

	sort.Slice(sel, func(x, y int) bool {
		if sel[x][1] != sel[y][1] {
			return sel[x][1] < sel[y][1]
		}

		return sel[x][0] < sel[y][0]
	})

	keys := make([]string, len(sel))
	for n, ref := range sel {
		keys[n] = ref[1]
	}

	if !scanForward {
		for a, b := 0, len(sel)-1; a < b; a, b = a+1, b-1 {
			sel[a], sel[b] = sel[b], sel[a]
		}
	}

	i.sortedRefs = sel

	return keys
}
