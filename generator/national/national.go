// Package national writes a synthetic national unit tree shaped like
// Vietnam's 2021 election — 63 provinces, 705 districts, 10,600 communes
// and 84,767 polling areas — around the example site, as a scratch site
// that `checkgen build` can build. It exists for benchmarks and for the
// national-scale build (`make national`); its output is not committed.
//
// The site keeps the example's site.toml (with the organisation set to the
// National Election Council), bodies.toml and plans, and replaces its
// units with one units.csv: every unit of the example, unchanged, then
// synthetic units so that each level's total is exactly the size asked
// for. Province codes and names are the real 2021 ones; districts,
// communes and polling areas below them are invented. The output is a
// function of its inputs only: two runs give identical bytes.
package national

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"checkgen/generator/plan"
)

// Sizes are the unit counts per level of the generated tree, top first.
type Sizes struct{ Provinces, Districts, Communes, Polling int }

// Vietnam2021 are the 2021 figures (DOMAIN.md §3): 63 provinces, about
// 705 districts and 10,600 communes, and 84,767 election teams, one per
// polling area.
var Vietnam2021 = Sizes{63, 705, 10600, 84767}

// Total is the number of units of all levels.
func (s Sizes) Total() int { return s.Provinces + s.Districts + s.Communes + s.Polling }

func (s Sizes) slice() [4]int { return [4]int{s.Provinces, s.Districts, s.Communes, s.Polling} }

func sizesOf(n [4]int) Sizes { return Sizes{n[0], n[1], n[2], n[3]} }

// Scale returns Vietnam2021 scaled so that Polling is n (at least 1), the
// other levels in proportion, rounded, at least 1 each, with at most 63
// provinces.
func Scale(n int) Sizes {
	n = max(n, 1)
	v := Vietnam2021
	of := func(x int) int { return max((x*n+v.Polling/2)/v.Polling, 1) }
	return Sizes{min(of(v.Provinces), v.Provinces), of(v.Districts), of(v.Communes), n}
}

// Organisation is the organisation named in the written site.toml.
const Organisation = "Hội đồng bầu cử quốc gia"

// provinces are the 63 provinces and centrally-run cities of 2021 with
// their General Statistics Office codes, in code order. Synthetic
// provinces are the ones the example lacks, taken in this order.
var provinces = []struct{ code, name string }{
	{"01", "Thành phố Hà Nội"}, {"02", "Tỉnh Hà Giang"}, {"04", "Tỉnh Cao Bằng"},
	{"06", "Tỉnh Bắc Kạn"}, {"08", "Tỉnh Tuyên Quang"}, {"10", "Tỉnh Lào Cai"},
	{"11", "Tỉnh Điện Biên"}, {"12", "Tỉnh Lai Châu"}, {"14", "Tỉnh Sơn La"},
	{"15", "Tỉnh Yên Bái"}, {"17", "Tỉnh Hòa Bình"}, {"19", "Tỉnh Thái Nguyên"},
	{"20", "Tỉnh Lạng Sơn"}, {"22", "Tỉnh Quảng Ninh"}, {"24", "Tỉnh Bắc Giang"},
	{"25", "Tỉnh Phú Thọ"}, {"26", "Tỉnh Vĩnh Phúc"}, {"27", "Tỉnh Bắc Ninh"},
	{"30", "Tỉnh Hải Dương"}, {"31", "Thành phố Hải Phòng"}, {"33", "Tỉnh Hưng Yên"},
	{"34", "Tỉnh Thái Bình"}, {"35", "Tỉnh Hà Nam"}, {"36", "Tỉnh Nam Định"},
	{"37", "Tỉnh Ninh Bình"}, {"38", "Tỉnh Thanh Hóa"}, {"40", "Tỉnh Nghệ An"},
	{"42", "Tỉnh Hà Tĩnh"}, {"44", "Tỉnh Quảng Bình"}, {"45", "Tỉnh Quảng Trị"},
	{"46", "Tỉnh Thừa Thiên Huế"}, {"48", "Thành phố Đà Nẵng"}, {"49", "Tỉnh Quảng Nam"},
	{"51", "Tỉnh Quảng Ngãi"}, {"52", "Tỉnh Bình Định"}, {"54", "Tỉnh Phú Yên"},
	{"56", "Tỉnh Khánh Hòa"}, {"58", "Tỉnh Ninh Thuận"}, {"60", "Tỉnh Bình Thuận"},
	{"62", "Tỉnh Kon Tum"}, {"64", "Tỉnh Gia Lai"}, {"66", "Tỉnh Đắk Lắk"},
	{"67", "Tỉnh Đắk Nông"}, {"68", "Tỉnh Lâm Đồng"}, {"70", "Tỉnh Bình Phước"},
	{"72", "Tỉnh Tây Ninh"}, {"74", "Tỉnh Bình Dương"}, {"75", "Tỉnh Đồng Nai"},
	{"77", "Tỉnh Bà Rịa - Vũng Tàu"}, {"79", "Thành phố Hồ Chí Minh"}, {"80", "Tỉnh Long An"},
	{"82", "Tỉnh Tiền Giang"}, {"83", "Tỉnh Bến Tre"}, {"84", "Tỉnh Trà Vinh"},
	{"86", "Tỉnh Vĩnh Long"}, {"87", "Tỉnh Đồng Tháp"}, {"89", "Tỉnh An Giang"},
	{"91", "Tỉnh Kiên Giang"}, {"92", "Thành phố Cần Thơ"}, {"93", "Tỉnh Hậu Giang"},
	{"94", "Tỉnh Sóc Trăng"}, {"95", "Tỉnh Bạc Liêu"}, {"96", "Tỉnh Cà Mau"},
}

// Tags the generated units carry, as the example's plans and units.toml use them.
const (
	tagNoCouncil = "no-council"   // wards without a People's Council (Đà Nẵng, Hồ Chí Minh City)
	tagIsland    = "island"       // a unit with island territory
	tagEarly     = "early-voting" // a polling area voting before the site's election day
)

// coastal are the provinces on the sea: only their polling areas are
// made island ones, unless no synthetic polling area lies in one.
var coastal = map[string]bool{
	"22": true, "31": true, "34": true, "36": true, "37": true, "38": true, "40": true,
	"42": true, "44": true, "45": true, "46": true, "48": true, "49": true, "51": true,
	"52": true, "54": true, "56": true, "58": true, "60": true, "77": true, "79": true,
	"82": true, "83": true, "84": true, "91": true, "94": true, "95": true, "96": true,
}

// wardCities are the provinces whose first wardDistricts synthetic
// districts are urban districts ("Quận") whose wards have no council.
var wardCities = map[string]bool{"48": true, "79": true}

const (
	wardDistricts = 2
	islandEvery   = 2000 // about one synthetic polling area in this many votes a day early
)

// unit is one row of units.csv.
type unit struct {
	code, parent, level, name string
	tags                      []string
	day                       string // own election day, 2021-05-22, or ""
	depth                     int    // the level's index: 0 for provinces
	synthetic                 bool   // made here, not the example's
	wards                     bool   // a synthetic district whose communes are wards without a council
}

func (u *unit) hasTag(t string) bool { return slices.Contains(u.tags, t) }

// Write writes a site into dir (dir/content/...) from the example site at
// src, a site directory holding content/: its site.toml with the
// organisation replaced, its bodies.toml and plans/*.toml unchanged, and a
// units.csv with every unit of the example followed by synthetic units,
// so that each level's total equals sizes. A level smaller than the
// example's is raised to the example's count: its units are always kept.
// Files already in dir/content are replaced, and a units.toml or a plan
// the example no longer has is removed. Write returns the counts written
// per level.
func Write(dir, src string, sizes Sizes) (Sizes, error) {
	if same, err := sameDir(dir, src); err != nil {
		return Sizes{}, err
	} else if same {
		return Sizes{}, fmt.Errorf("writing into %s would overwrite the example site it is made from: choose another directory", dir)
	}
	m, err := plan.Open(os.DirFS(src))
	if err != nil {
		return Sizes{}, fmt.Errorf("loading the example site %s: %w", src, err)
	}
	units, got, err := tree(m, sizes)
	if err != nil {
		return Sizes{}, err
	}
	csvData, err := encodeUnits(units)
	if err != nil {
		return Sizes{}, err
	}

	site, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(plan.SiteFile)))
	if err != nil {
		return Sizes{}, err
	}
	site, err = setOrganisation(site, Organisation)
	if err != nil {
		return Sizes{}, fmt.Errorf("%s: %w", filepath.Join(src, filepath.FromSlash(plan.SiteFile)), err)
	}
	bodies, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(plan.BodiesFile)))
	if err != nil {
		return Sizes{}, err
	}
	planFiles, err := filepath.Glob(filepath.Join(src, filepath.FromSlash(plan.PlansDir), "*.toml"))
	if err != nil {
		return Sizes{}, err
	}

	out := filepath.Join(dir, plan.ContentDir)
	outPlans := filepath.Join(dir, filepath.FromSlash(plan.PlansDir))
	if err := os.MkdirAll(outPlans, 0o755); err != nil {
		return Sizes{}, err
	}
	keep := map[string]bool{}
	for _, f := range planFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			return Sizes{}, err
		}
		name := filepath.Base(f)
		keep[name] = true
		if err := writeFile(filepath.Join(outPlans, name), b); err != nil {
			return Sizes{}, err
		}
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"site.toml", site}, {"bodies.toml", bodies}, {"units.csv", csvData}} {
		if err := writeFile(filepath.Join(out, f.name), f.data); err != nil {
			return Sizes{}, err
		}
	}
	// Stale files of an earlier run: units.toml would add the example's
	// units a second time, and an old plan would be built too.
	stale, err := filepath.Glob(filepath.Join(outPlans, "*.toml"))
	if err != nil {
		return Sizes{}, err
	}
	stale = append(stale, filepath.Join(out, "units.toml"))
	for _, f := range stale {
		if keep[filepath.Base(f)] && filepath.Dir(f) == outPlans {
			continue
		}
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return Sizes{}, err
		}
	}
	return got, nil
}

// sameDir reports whether dir and src are the same directory, so that
// Write never replaces the example's own content.
func sameDir(dir, src string) (bool, error) {
	a, err := filepath.Abs(dir)
	if err != nil {
		return false, err
	}
	b, err := filepath.Abs(src)
	if err != nil {
		return false, err
	}
	if a == b {
		return true, nil
	}
	da, errA := os.Stat(a)
	db, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(da, db), nil
}

// tree returns every unit to write: the example's, in site order, then
// the synthetic provinces, districts, communes and polling areas, each
// level grouped by parent in the parents' order. It returns the count of
// each level.
func tree(m *plan.Model, sizes Sizes) ([]*unit, Sizes, error) {
	if len(m.Levels) != 4 {
		return nil, Sizes{}, fmt.Errorf("the example site has %d levels; a national tree needs 4 (province, district, commune, polling area)", len(m.Levels))
	}
	var ids [4]string
	for i, l := range m.Levels {
		ids[i] = l.ID
	}
	var all []*unit
	byCode := map[string]*unit{}
	used := map[string]bool{} // codes, folded to lower case as the loader compares them
	children := map[string]int{}
	var levels [4][]*unit
	add := func(u *unit) {
		all = append(all, u)
		byCode[u.code] = u
		used[strings.ToLower(u.code)] = true
		children[u.parent]++
		levels[u.depth] = append(levels[u.depth], u)
	}
	for _, x := range m.Units {
		for _, t := range x.Tags {
			if strings.Contains(t, ";") {
				return nil, Sizes{}, fmt.Errorf("%s: unit %s has tag %q: a tag in units.csv cannot hold ';'", x.Pos, x.Code, t)
			}
		}
		u := &unit{code: x.Code, parent: x.Parent, level: x.Level, name: x.Name, tags: x.Tags, depth: x.LevelRef.Index}
		if x.ElectionDay != nil {
			u.day = x.ElectionDay.String()
		}
		add(u)
	}
	example := [4]int{}
	for i := range levels {
		example[i] = len(levels[i])
	}
	want := sizes.slice()
	for i := range want {
		want[i] = max(want[i], example[i])
	}

	// Provinces: the real ones the example lacks, in code order.
	var spare []int
	for i, p := range provinces {
		if !used[strings.ToLower(p.code)] {
			spare = append(spare, i)
		}
	}
	if n := want[0] - example[0]; n > len(spare) {
		return nil, Sizes{}, fmt.Errorf("%d provinces asked for, but there are at most %d: the example's %d and %d more", want[0], example[0]+len(spare), example[0], len(spare))
	}
	for _, i := range spare[:want[0]-example[0]] {
		add(&unit{code: provinces[i].code, level: ids[0], name: provinces[i].name, synthetic: true})
	}

	// Each lower level: under the parents the example left empty (for
	// districts, the synthetic provinces only), else under every parent.
	for lv := 1; lv < 4; lv++ {
		n := want[lv] - example[lv]
		if n == 0 {
			continue
		}
		var parents []*unit
		for i, p := range levels[lv-1] {
			if lv == 1 && i < example[0] || lv > 1 && children[p.code] > 0 {
				continue
			}
			parents = append(parents, p)
		}
		if len(parents) == 0 {
			parents = levels[lv-1]
		}
		for i, k := range spread(n, len(parents), uint64(lv)) {
			p := parents[i]
			num := children[p.code] // numbers follow the example's children
			for made := 0; made < k; made++ {
				var code string
				for {
					num++
					code = childCode(lv, p.code, num)
					if !used[strings.ToLower(code)] {
						break
					}
				}
				u := &unit{code: code, parent: p.code, level: ids[lv], depth: lv, synthetic: true}
				switch lv {
				case 1:
					u.wards = wardCities[p.code] && made < wardDistricts
					if u.wards {
						u.name = fmt.Sprintf("Quận %d", num)
					} else {
						u.name = fmt.Sprintf("Huyện %s %d", shortName(p.name), num)
					}
				case 2:
					if p.wards {
						u.name = fmt.Sprintf("Phường số %d", num)
						u.tags = []string{tagNoCouncil}
					} else {
						u.name = fmt.Sprintf("Xã số %d", num)
					}
				case 3:
					u.name = fmt.Sprintf("Khu vực bỏ phiếu số %d", num)
					if p.hasTag(tagNoCouncil) {
						u.tags = []string{tagNoCouncil}
					}
				}
				add(u)
			}
		}
	}

	// Island polling areas voting a day early: about one in islandEvery
	// synthetic ones, spread over those of coastal provinces. Their
	// communes, when synthetic, carry the island tag too.
	synth := levels[3][example[3]:]
	var shore []*unit
	for _, u := range synth {
		top := u
		for top.parent != "" {
			top = byCode[top.parent]
		}
		if coastal[top.code] {
			shore = append(shore, u)
		}
	}
	if len(shore) == 0 {
		shore = synth
	}
	early := m.Site.ElectionDay.AddDays(-1).String()
	for _, i := range islands(len(shore), (len(synth)+islandEvery/2)/islandEvery) {
		u := shore[i]
		u.tags = append(u.tags, tagIsland, tagEarly)
		u.day = early
		if c := byCode[u.parent]; c.synthetic && !c.hasTag(tagIsland) {
			c.tags = append(c.tags, tagIsland)
		}
	}
	var got [4]int
	for i := range levels {
		got[i] = len(levels[i])
	}
	return all, sizesOf(got), nil
}

// childCode is the code of the num-th child of parent at level lv:
// 04D01, 04D01X01, 04D01X01-KV01.
func childCode(lv int, parent string, num int) string {
	switch lv {
	case 1:
		return fmt.Sprintf("%sD%02d", parent, num)
	case 2:
		return fmt.Sprintf("%sX%02d", parent, num)
	}
	return fmt.Sprintf("%s-KV%02d", parent, num)
}

// shortName is a province's name without "Tỉnh" or "Thành phố".
func shortName(name string) string {
	for _, p := range []string{"Tỉnh ", "Thành phố "} {
		if s, ok := strings.CutPrefix(name, p); ok {
			return s
		}
	}
	return name
}

// spread divides n children among k parents: at least one each while
// there are enough, the rest in proportion to weights of 8 to 12 drawn
// from a hash of the parent's index, so the tree is uneven but the same
// on every run.
func spread(n, k int, salt uint64) []int {
	out := make([]int, k)
	if k == 0 {
		return out
	}
	base := 0
	if n >= k {
		base = 1
	}
	rest := n - base*k
	w := make([]int, k)
	total := 0
	for i := range w {
		w[i] = 8 + int(mix(salt<<32|uint64(i))%5)
		total += w[i]
	}
	// Cumulative rounding: the counts add up to rest exactly.
	cum := 0
	for i := range out {
		lo := rest * cum / total
		cum += w[i]
		out[i] = base + rest*cum/total - lo
	}
	return out
}

// islands picks count of n indexes (at least one, at most n, none of
// none): one at a hashed place in each of count equal stretches.
func islands(n, count int) []int {
	if n == 0 {
		return nil
	}
	count = min(max(count, 1), n)
	out := make([]int, count)
	for j := range out {
		lo, hi := j*n/count, (j+1)*n/count
		out[j] = lo + int(mix(0x15_1a_4d<<32|uint64(j))%uint64(hi-lo))
	}
	return out
}

// mix is SplitMix64's finaliser: a fixed, well-spread hash of x.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// encodeUnits writes units.csv: the header, then one row per unit.
func encodeUnits(units []*unit) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(strings.Split(plan.UnitsCSVHeader, ","))
	for _, u := range units {
		w.Write([]string{u.code, u.parent, u.level, u.name, strings.Join(u.tags, ";"), u.day})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("encoding units.csv: %w", err)
	}
	return b.Bytes(), nil
}

// orgRE matches a one-line organisation = "..." (or '...'), and what may
// follow it on its line: blanks and a comment.
var orgRE = regexp.MustCompile(`^(\x{FEFF}?[ \t]*organisation[ \t]*=[ \t]*)(?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*')([ \t]*(?:#.*)?\r?\n?)$`)

// setOrganisation replaces the value of site.toml's top-level
// organisation key, keeping every other byte; without one, it adds the
// key before the first table.
func setOrganisation(site []byte, org string) ([]byte, error) {
	value := fmt.Sprintf("%q", org)
	lines := bytes.SplitAfter(site, []byte("\n"))
	for i, line := range lines {
		trimmed := bytes.TrimLeft(bytes.TrimPrefix(line, []byte("\uFEFF")), " \t")
		if bytes.HasPrefix(trimmed, []byte("[")) {
			// The first table: the top-level keys are all above it.
			lines = slices.Insert(lines, i, []byte("organisation = "+value+"\n"))
			return bytes.Join(lines, nil), nil
		}
		if loc := orgRE.FindSubmatchIndex(line); loc != nil {
			lines[i] = slices.Concat(line[:loc[3]], []byte(value), line[loc[4]:])
			return bytes.Join(lines, nil), nil
		}
		if bytes.HasPrefix(trimmed, []byte("organisation")) {
			k := bytes.TrimLeft(trimmed[len("organisation"):], " \t")
			if len(k) > 0 && k[0] == '=' {
				return nil, fmt.Errorf("line %d: cannot replace the organisation: write it as a one-line string", i+1)
			}
		}
	}
	return nil, errors.New("no table in site.toml: a site has at least one [[level]]")
}

// writeFile replaces name with data through a temporary file in the same
// directory, so a reader never sees half a file.
func writeFile(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
