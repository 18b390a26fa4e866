package plan

import "testing"

func TestFormatDate(t *testing.T) {
	tests := []struct {
		lang, place string
		d           Date
		date, line  string
	}{
		{"vi", "Bắc Kạn", Date{2021, 3, 4}, "04/03/2021", "Bắc Kạn, ngày 04 tháng 3 năm 2021"},
		{"vi", "Bắc Kạn", Date{2021, 2, 14}, "14/02/2021", "Bắc Kạn, ngày 14 tháng 02 năm 2021"},
		{"vi", "", Date{2021, 5, 19}, "19/05/2021", "Ngày 19 tháng 5 năm 2021"},
		{"en", "Riverton", Date{2027, 3, 1}, "1 Mar 2027", "Riverton, 1 March 2027"},
		{"en", "", Date{2027, 6, 6}, "6 Jun 2027", "6 June 2027"},
	}
	for _, tt := range tests {
		s := &Site{Language: tt.lang, Form: Form{Place: tt.place}}
		if got := s.FormatDate(tt.d); got != tt.date {
			t.Errorf("FormatDate(%s, %s) = %q, want %q", tt.d, tt.lang, got, tt.date)
		}
		if got := s.DateLine(tt.d); got != tt.line {
			t.Errorf("DateLine(%s, %s, %q) = %q, want %q", tt.d, tt.lang, tt.place, got, tt.line)
		}
	}
}
