package pdf

import (
	"math"
	"testing"

	"checkgen/generator/pdf/internal/fpdf"
)

// vietnamese holds every precomposed Vietnamese letter, both cases.
const vietnamese = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ" +
	"AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬBCDĐEÈẺẼÉẸÊỀỂỄẾỆGHIÌỈĨÍỊKLMNOÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢPQRSTUÙỦŨÚỤƯỪỬỮỨỰVXYỲỶỸÝỴ"

func mustFonts(t testing.TB) *fontSet {
	t.Helper()
	fs, err := loadFonts()
	if err != nil {
		t.Fatalf("loading the fonts: %v", err)
	}
	return fs
}

func TestCoverage(t *testing.T) {
	fs := mustFonts(t)
	for f := face(0); f < faces; f++ {
		m := fs.files[f].metrics
		for _, r := range vietnamese + "0123456789/:()–…·□" {
			if !m.has(r) {
				t.Errorf("face %q lacks %#U", f.style(), r)
			}
			for i, c := range fs.cuts {
				if !c.runes.has(r) {
					t.Errorf("cut %d lacks %#U", i, r)
				}
			}
		}
		for _, r := range []rune{0x1f600, 0x2610, 0x4e2d} {
			if m.has(r) {
				t.Errorf("face %q claims %#U, which Liberation Serif does not have", f.style(), r)
			}
		}
	}
}

// TestWidthsMatchFpdf checks that layout measures text exactly as fpdf
// does, for the full faces and the cut ones.
func TestWidthsMatchFpdf(t *testing.T) {
	fs := mustFonts(t)
	samples := []string{
		vietnamese,
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập - Tự do - Hạnh phúc",
		"Bắc Kạn, ngày 04 tháng 3 năm 2021 – (E-70) “quoted” … · □",
		"Ελληνικά and Кириллица",
		"ǅ ɐ ʃ → ∑ ◊ ₫ ℓ",
	}
	for f := face(0); f < faces; f++ {
		for tier := 0; tier <= len(fs.cuts); tier++ {
			b := fs.ttf(tier, f)
			p := fpdf.New("P", "mm", "A4", "")
			p.AddUTF8FontFromBytes(family, f.style(), b)
			p.SetFont(family, f.style(), 11)
			for _, s := range samples {
				if fs.tier([]line{{text: s}}) > tier {
					continue
				}
				got := float64(fs.files[f].metrics.width(s)) * 11 / 1000 * ptToMM
				want := p.GetStringWidth(s)
				if math.Abs(got-want) > 1e-9 {
					t.Errorf("face %s (fonts tier %d): width(%q) = %v, fpdf says %v", f.name(), tier, s, got, want)
				}
			}
			if err := p.Error(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestParseMetricsBadInput(t *testing.T) {
	good := mustFonts(t).files[regular].ttf
	// Every case must return without panicking; those marked must fail.
	for _, tc := range []struct {
		name    string
		b       []byte
		wantErr bool
	}{
		{"nil", nil, true},
		{"short", []byte{0, 1, 0, 0}, true},
		{"not a font", []byte("%PDF-1.3 hello world, not a font at all"), true},
		{"header only", good[:12], true},
		{"table directory only", good[:300], true},
		{"otf", append([]byte("OTTO"), good[4:100]...), true},
		{"cut in half", good[:len(good)/2], false},
		{"one byte short", good[:len(good)-1], false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parseMetrics(tc.b); tc.wantErr && err == nil {
				t.Errorf("parseMetrics(%s) = nil error", tc.name)
			}
		})
	}
}
