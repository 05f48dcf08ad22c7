package core

// Candor's patch (see ../CANDOR.md): the table keeps each item as one
// compact binary string instead of a map of *types.Item. A types.Item is
// a 160-byte struct with a pointer per attribute type, so an item of 20
// attributes held as maps cost about 6 KB of heap; encoded it costs its
// names and values plus a few bytes each. Reads decode a fresh copy, which
// the caller may change (an update changes it and sets it back).

import (
	"encoding/binary"
	"fmt"

	"github.com/truora/minidyn/types"
)

// StoredItem is an item in the table's compact encoding.
type StoredItem string

// Value tags of the encoding.
const (
	tagEmpty byte = iota
	tagS
	tagN
	tagB
	tagBOOL
	tagNULL
	tagM
	tagL
	tagSS
	tagNS
	tagBS
)

// EncodeItem returns the compact encoding of item.
func EncodeItem(item map[string]*types.Item) StoredItem {
	buf := make([]byte, 0, 64*len(item))
	return StoredItem(appendMap(buf, item))
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

func appendMap(buf []byte, m map[string]*types.Item) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(m)))
	for k, v := range m {
		buf = appendString(buf, k)
		buf = appendValue(buf, v)
	}

	return buf
}

func appendBool(buf []byte, b bool) []byte {
	if b {
		return append(buf, 1)
	}

	return append(buf, 0)
}

func appendValue(buf []byte, v *types.Item) []byte { //nolint:gocyclo // one case per attribute type
	switch {
	case v == nil:
		return append(buf, tagEmpty)
	case v.S != nil:
		return appendString(append(buf, tagS), *v.S)
	case v.N != nil:
		return appendString(append(buf, tagN), *v.N)
	case v.B != nil:
		return appendString(append(buf, tagB), string(v.B))
	case v.BOOL != nil:
		return appendBool(append(buf, tagBOOL), *v.BOOL)
	case v.NULL != nil:
		return appendBool(append(buf, tagNULL), *v.NULL)
	case v.M != nil:
		return appendMap(append(buf, tagM), v.M)
	case v.L != nil:
		buf = binary.AppendUvarint(append(buf, tagL), uint64(len(v.L)))
		for _, e := range v.L {
			buf = appendValue(buf, e)
		}

		return buf
	case v.SS != nil:
		buf = binary.AppendUvarint(append(buf, tagSS), uint64(len(v.SS)))
		for _, e := range v.SS {
			buf = appendString(buf, deref(e))
		}

		return buf
	case v.NS != nil:
		buf = binary.AppendUvarint(append(buf, tagNS), uint64(len(v.NS)))
		for _, e := range v.NS {
			buf = appendString(buf, deref(e))
		}

		return buf
	case v.BS != nil:
		buf = binary.AppendUvarint(append(buf, tagBS), uint64(len(v.BS)))
		for _, e := range v.BS {
			buf = appendString(buf, string(e))
		}

		return buf
	}

	return append(buf, tagEmpty)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}

	return *s
}

// decoder reads a StoredItem.
type decoder struct {
	s   StoredItem
	pos int
}

// Decode returns the item, as a fresh map the caller owns.
func (s StoredItem) Decode() map[string]*types.Item {
	d := decoder{s: s}
	m := d.readMap()

	if d.pos != len(s) {
		panic(fmt.Sprintf("minidyn: stored item: %d bytes left over", len(s)-d.pos)) // written by EncodeItem only
	}

	return m
}

func (d *decoder) uvarint() int {
	n, w := binary.Uvarint([]byte(d.s[d.pos:min(d.pos+binary.MaxVarintLen64, len(d.s))]))
	if w <= 0 {
		panic("minidyn: stored item: bad length") // written by EncodeItem only
	}

	d.pos += w

	return int(n)
}

func (d *decoder) str() string {
	n := d.uvarint()
	s := string(d.s[d.pos : d.pos+n])
	d.pos += n

	return s
}

func (d *decoder) byte() byte {
	b := d.s[d.pos]
	d.pos++

	return b
}

func (d *decoder) readMap() map[string]*types.Item {
	n := d.uvarint()
	m := make(map[string]*types.Item, n)

	for range n {
		k := d.str()
		m[k] = d.readValue()
	}

	return m
}

func (d *decoder) strings() []*string {
	n := d.uvarint()
	out := make([]*string, n)

	for i := range out {
		s := d.str()
		out[i] = &s
	}

	return out
}

func (d *decoder) readValue() *types.Item { //nolint:gocyclo // one case per attribute type
	switch tag := d.byte(); tag {
	case tagS:
		s := d.str()
		return &types.Item{S: &s}
	case tagN:
		s := d.str()
		return &types.Item{N: &s}
	case tagB:
		return &types.Item{B: []byte(d.str())}
	case tagBOOL:
		b := d.byte() == 1
		return &types.Item{BOOL: &b}
	case tagNULL:
		b := d.byte() == 1
		return &types.Item{NULL: &b}
	case tagM:
		return &types.Item{M: d.readMap()}
	case tagL:
		n := d.uvarint()
		l := make([]*types.Item, n)

		for i := range l {
			l[i] = d.readValue()
		}

		return &types.Item{L: l}
	case tagSS:
		return &types.Item{SS: d.strings()}
	case tagNS:
		return &types.Item{NS: d.strings()}
	case tagBS:
		n := d.uvarint()
		bs := make([][]byte, n)

		for i := range bs {
			bs[i] = []byte(d.str())
		}

		return &types.Item{BS: bs}
	default:
		return &types.Item{}
	}
}

// Item returns the item stored under the table's key, decoded into a copy
// the caller may change, and whether there is one.
func (t *Table) Item(key string) (map[string]*types.Item, bool) {
	s, ok := t.Data[key]
	if !ok {
		return nil, false
	}

	return s.Decode(), true
}
