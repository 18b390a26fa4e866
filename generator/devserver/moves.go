package devserver

import (
	"strings"

	"checkgen/generator/plan"
)

// Page paths of the site's layout (see DESIGN.md, "Output").
func unitPage(code string) string { return "/units/" + code + "/" }
func planPage(id string) string   { return "/plans/" + id + "/" }
func levelPage(id string) string  { return "/levels/" + id + "/" }
func bodyPage(id string) string   { return "/bodies/" + id + "/" }

// Moved compares the models before and after a good rebuild and redirects
// the pages it removed: a unit's page goes to its nearest ancestor still
// there (an open page of a deleted polling area reloads as its commune),
// a plan's, level's or body's page to the home page. A page that exists
// again loses its redirect.
func (s *Server) Moved(before, after *plan.Model) {
	if after == nil {
		return
	}
	moves := map[string]string{}
	if before != nil {
		if !sameUnits(before, after) { // the usual edit, of a plan, moves no unit
			for _, u := range before.Units {
				if after.Unit(u.Code) != nil {
					continue
				}
				to := "/"
				up := u.Ancestors()
				for i := len(up) - 1; i >= 0; i-- {
					if after.Unit(up[i].Code) != nil {
						to = unitPage(up[i].Code)
						break
					}
				}
				moves[unitPage(u.Code)] = to
			}
		}
		for _, from := range otherPages(before) {
			if !exists(after, from) {
				moves[from] = "/"
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for from := range s.redirects {
		if exists(after, from) {
			delete(s.redirects, from)
		}
	}
	for from, to := range moves {
		s.redirects[from] = to
	}
}

// sameUnits reports whether two models have the units of the same codes,
// in the same order.
func sameUnits(a, b *plan.Model) bool {
	if len(a.Units) != len(b.Units) {
		return false
	}
	for i, u := range a.Units {
		if b.Units[i].Code != u.Code {
			return false
		}
	}
	return true
}

// otherPages lists the URL paths of the pages a model makes besides its
// units'.
func otherPages(m *plan.Model) []string {
	var list []string
	for _, p := range m.Plans {
		list = append(list, planPage(p.ID))
	}
	for _, l := range m.Levels {
		list = append(list, levelPage(l.ID))
	}
	for _, b := range m.Bodies {
		list = append(list, bodyPage(b.ID))
	}
	return list
}

// exists reports whether the model makes the page at the URL path page.
func exists(m *plan.Model, page string) bool {
	if page == "/" {
		return true
	}
	kind, rest, _ := strings.Cut(strings.TrimPrefix(page, "/"), "/")
	id, ok := strings.CutSuffix(rest, "/")
	if !ok || strings.Contains(id, "/") {
		return false
	}
	switch kind {
	case "units":
		return m.Unit(id) != nil
	case "levels":
		return m.Level(id) != nil
	case "bodies":
		return m.Body(id) != nil
	case "plans":
		for _, p := range m.Plans {
			if p.ID == id {
				return true
			}
		}
	}
	return false
}
