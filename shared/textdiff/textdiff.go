// Package textdiff compares two texts word by word, as a reader compares an
// edited review with the version that was reported: which words stayed,
// which were taken out and which were put in.
package textdiff

import (
	"strings"
	"unicode"
)

// Op says what a chunk of a diff is.
type Op int

// The kinds of chunk.
const (
	Equal  Op = iota // in both texts
	Delete           // only in the old text
	Insert           // only in the new text
)

// Chunk is a run of text with one Op.
type Chunk struct {
	Op   Op
	Text string
}

// MaxCells bounds the work of one diff: when the differing middles of the
// two texts (after their common beginning and end) hold more than MaxCells
// pairs of words, the middle is shown as deleted and inserted whole instead
// of word by word. Reviews are at most 10 000 characters; two such texts
// rewritten entirely stay under it.
const MaxCells = 4_000_000

// Words returns the chunks that turn old into new, word by word: a word is
// a run of characters other than white space with the white space before
// it, so the chunks keep the texts' spacing and line breaks. It promises that the Equal and Delete chunks, joined, are old;
// the Equal and Insert chunks, joined, are new; no chunk is empty; no two
// neighbours have the same Op; and where one Delete and one Insert meet,
// the Delete comes first. The words in common are a longest common
// subsequence of the two texts' words, less the short ones between two
// changes (Fold), so that a rewritten sentence reads as one change.
func Words(old, new string) []Chunk {
	a, b := split(old), split(new)
	var d diff
	// The common beginning and end need no table.
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	d.add(Equal, a[:p])
	d.middle(a[p:len(a)-s], b[p:len(b)-s])
	d.add(Equal, a[len(a)-s:])
	return Fold(d.out)
}

// Fold folds into the changes around it every Equal chunk that lies
// between two changes and is no longer (in bytes) than the larger side of
// either: " a" kept between "The owner is a fraud" and "I asked for a
// refund" is noise to a reader. It repeats until no chunk folds, and keeps
// every promise of Words but the longest common subsequence.
func Fold(cs []Chunk) []Chunk {
	for {
		folded := false
		var d diff
		for i, c := range cs {
			if c.Op == Equal && i > 0 && i < len(cs)-1 && len(c.Text) <= changeSize(cs[:i], true) && len(c.Text) <= changeSize(cs[i+1:], false) {
				d.change(Delete, c.Text)
				d.change(Insert, c.Text)
				folded = true
				continue
			}
			d.change(c.Op, c.Text)
		}
		d.flushChange()
		cs = d.out
		if !folded {
			return cs
		}
	}
}

// changeSize is the larger of the deleted and the inserted bytes of the
// run of changes at the end (last) or the start of cs.
func changeSize(cs []Chunk, last bool) int {
	del, ins := 0, 0
	for k := range cs {
		c := cs[k]
		if last {
			c = cs[len(cs)-1-k]
		}
		if c.Op == Equal {
			break
		}
		if c.Op == Delete {
			del += len(c.Text)
		} else {
			ins += len(c.Text)
		}
	}
	return max(del, ins)
}

// split cuts s into words, each with the white space before it: matching
// a word and its spacing together keeps a diff from pairing the spaces of
// two different sentences, and a sentence added at the end stays one
// insertion.
func split(s string) []string {
	var out []string
	start, inWord := 0, false
	for i, r := range s {
		sp := unicode.IsSpace(r)
		if i > start && inWord && sp {
			out = append(out, s[start:i])
			start = i
		}
		inWord = !sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

type diff struct {
	out      []Chunk
	del, ins strings.Builder // a run of changes not yet added
}

// change adds a chunk, gathering a run of changes so that its deletions
// come out first, as one chunk, and then its insertions.
func (d *diff) change(op Op, text string) {
	switch op {
	case Delete:
		d.del.WriteString(text)
	case Insert:
		d.ins.WriteString(text)
	default:
		d.flushChange()
		d.addText(Equal, text)
	}
}

func (d *diff) flushChange() {
	d.addText(Delete, d.del.String())
	d.addText(Insert, d.ins.String())
	d.del.Reset()
	d.ins.Reset()
}

// add appends words as op, merged into the last chunk when it has op too.
func (d *diff) add(op Op, words []string) { d.addText(op, strings.Join(words, "")) }

func (d *diff) addText(op Op, text string) {
	if text == "" {
		return
	}
	if n := len(d.out); n > 0 && d.out[n-1].Op == op {
		d.out[n-1].Text += text
		return
	}
	d.out = append(d.out, Chunk{Op: op, Text: text})
}

// middle diffs a and b, which share neither their first nor their last
// word, by the longest common subsequence of their words.
func (d *diff) middle(a, b []string) {
	if len(a) == 0 || len(b) == 0 || len(a)*len(b) > MaxCells {
		d.add(Delete, a)
		d.add(Insert, b)
		return
	}
	// l[i][j]: the length of the longest common subsequence of a[i:] and b[j:].
	w := len(b) + 1
	l := make([]int32, (len(a)+1)*w)
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			switch {
			case a[i] == b[j]:
				l[i*w+j] = l[(i+1)*w+j+1] + 1
			case l[(i+1)*w+j] >= l[i*w+j+1]:
				l[i*w+j] = l[(i+1)*w+j]
			default:
				l[i*w+j] = l[i*w+j+1]
			}
		}
	}
	// Walk the table, collecting a run of deletions and insertions between
	// two common words so that the deletion is written first.
	var del, ins []string
	flush := func() {
		d.add(Delete, del)
		d.add(Insert, ins)
		del, ins = del[:0], ins[:0]
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			flush()
			d.add(Equal, a[i:i+1])
			i, j = i+1, j+1
		case l[(i+1)*w+j] >= l[i*w+j+1]:
			del = append(del, a[i])
			i++
		default:
			ins = append(ins, b[j])
			j++
		}
	}
	del = append(del, a[i:]...)
	ins = append(ins, b[j:]...)
	flush()
}
