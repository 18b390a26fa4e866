// Package fixedflate deflates small texts fast: one block in the fixed
// Huffman codes of RFC 1951 (section 3.2.6), with greedy LZ77 matches.
//
// compress/flate builds Huffman tables for every block it writes; for the
// few kilobytes of XML or PDF content that name one unit in its workbook
// or PDF, building them costs several times more than finding the
// matches, and saves a few hundred bytes. A fixed-code block needs no
// table: literals cost 8 or 9 bits, matches 7 to 31. The output depends
// only on the input, so the same text gives the same bytes.
package fixedflate

import (
	"encoding/binary"
	"hash/adler32"
	"math/bits"
)

// Append appends src to dst deflated as one block in the fixed codes.
// When final is false, the block is not the stream's last and is
// followed by an empty stored block (what a sync flush writes), so that
// it ends on a byte boundary and further blocks can follow it, deflated
// apart; when final is true, it ends the stream, padded to a byte.
func Append(dst, src []byte, final bool) []byte {
	w := bitWriter{dst: dst}
	if final {
		w.write(1|1<<1, 3) // BFINAL 1, BTYPE 01
	} else {
		w.write(1<<1, 3) // BFINAL 0, BTYPE 01
	}
	encode(&w, src)
	w.write(0, 7) // end of block: code 256, seven zero bits
	if !final {
		w.write(0, 3) // BFINAL 0, BTYPE 00: a stored block, empty
		w.align()
		w.dst = append(w.dst, 0, 0, 0xff, 0xff)
		return w.dst
	}
	w.align()
	return w.dst
}

// AppendZlib appends src to dst as a zlib stream (RFC 1950) of one final
// fixed-code block, marked as compressed at the fastest level.
func AppendZlib(dst, src []byte) []byte {
	dst = append(dst, 0x78, 0x01)
	dst = Append(dst, src, true)
	return binary.BigEndian.AppendUint32(dst, adler32.Checksum(src))
}

const (
	minMatch  = 4 // shorter matches cost as much as their literals
	maxMatch  = 258
	maxDist   = 1 << 15
	tableBits = 13
)

// encode writes src as literals and matches, found greedily through a
// hash table of the last position of each four bytes.
func encode(w *bitWriter, src []byte) {
	var table [1 << tableBits]int32 // position + 1; 0 for none
	i, lit := 0, 0                  // lit: the first byte not yet written
	for i+minMatch <= len(src) {
		cur := binary.LittleEndian.Uint32(src[i:])
		h := hash(cur)
		cand := int(table[h]) - 1
		table[h] = int32(i + 1)
		if cand < 0 || i-cand > maxDist || binary.LittleEndian.Uint32(src[cand:]) != cur {
			i++
			continue
		}
		n := minMatch + matchLen(src[cand+minMatch:], src[i+minMatch:min(len(src), i+maxMatch)])
		for _, c := range src[lit:i] {
			w.literal(c)
		}
		w.match(n, i-cand)
		// Note the match's last position too (the next is looked at
		// next), for later matches; those inside are skipped, for speed.
		end := i + n
		if j := end - 1; j+minMatch <= len(src) {
			table[hash(binary.LittleEndian.Uint32(src[j:]))] = int32(j + 1)
		}
		i, lit = end, end
	}
	for _, c := range src[lit:] {
		w.literal(c)
	}
}

func hash(u uint32) uint32 { return (u * 0x1e35a7bd) >> (32 - tableBits) }

// matchLen returns how many bytes a and b share from their start; b is
// the shorter.
func matchLen(a, b []byte) int {
	n := 0
	for len(b)-n >= 8 {
		x := binary.LittleEndian.Uint64(a[n:]) ^ binary.LittleEndian.Uint64(b[n:])
		if x != 0 {
			return n + bits.TrailingZeros64(x)/8
		}
		n += 8
	}
	for n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// bitWriter writes bits least significant first, as deflate packs them.
type bitWriter struct {
	dst  []byte
	bits uint64
	n    uint
}

// write writes the low n bits of b (n at most 32).
func (w *bitWriter) write(b uint64, n uint) {
	w.bits |= b << w.n
	w.n += n
	if w.n >= 32 {
		w.dst = binary.LittleEndian.AppendUint32(w.dst, uint32(w.bits))
		w.bits >>= 32
		w.n -= 32
	}
}

// align writes the bits pending, padded with zeros to a whole byte.
func (w *bitWriter) align() {
	for w.n > 0 {
		w.dst = append(w.dst, byte(w.bits))
		w.bits >>= 8
		w.n = max(8, w.n) - 8
	}
	w.bits = 0
}

func (w *bitWriter) literal(c byte) {
	code := litCodes[c]
	w.write(uint64(code.bits), uint(code.n))
}

// match writes a match of length n (3 to 258) at distance d (1 to 32768).
func (w *bitWriter) match(n, d int) {
	code := lenCodes[n]
	w.write(uint64(code.bits), uint(code.n))
	x := uint32(d - 1)
	if x < 4 {
		w.write(uint64(reverse(x, 5)), 5)
		return
	}
	top := uint(bits.Len32(x) - 1) // x's highest bit
	extra := top - 1
	sym := uint32(2*top) | (x>>extra)&1
	w.write(uint64(reverse(sym, 5))|uint64(x&(1<<extra-1))<<5, 5+extra)
}

// code is a Huffman code, reversed to be written least significant bit
// first, with its extra bits when it has some.
type code struct {
	bits uint32
	n    uint8
}

var litCodes, lenCodes = fixedCodes()

// fixedCodes returns the fixed codes of the 256 literals and, by match
// length, of the length symbols with their extra bits.
func fixedCodes() (lits [256]code, lens [maxMatch + 1]code) {
	for c := range 256 {
		if c < 144 {
			lits[c] = code{reverse(uint32(0x30+c), 8), 8}
		} else {
			lits[c] = code{reverse(uint32(0x190+c-144), 9), 9}
		}
	}
	// Length symbols 257 to 284 hold four lengths' worth of extra bits
	// more every four symbols, from 3; 285 is 258.
	base := 3
	for sym := 257; sym <= 285; sym++ {
		extra := 0
		if i := sym - 257; i >= 8 && sym < 285 {
			extra = (i - 4) / 4
		}
		if sym == 285 {
			base = maxMatch
		}
		var hc code
		if sym < 280 {
			hc = code{reverse(uint32(sym-256), 7), 7}
		} else {
			hc = code{reverse(uint32(0xc0+sym-280), 8), 8}
		}
		for l := base; l < base+1<<extra && l <= maxMatch; l++ {
			lens[l] = code{hc.bits | uint32(l-base)<<hc.n, hc.n + uint8(extra)}
		}
		base += 1 << extra
	}
	return lits, lens
}

// reverse returns the low n bits of c in the opposite order.
func reverse(c uint32, n uint) uint32 { return bits.Reverse32(c) >> (32 - n) }
