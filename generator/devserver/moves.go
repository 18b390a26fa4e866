package devserver

import "checkgen/generator/plan"

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
	now := pages(after)
	moves := map[string]string{}
	if before != nil {
		for _, u := range before.Units {
			from := unitPage(u.Code)
			if now[from] {
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
			moves[from] = to
		}
		for from := range pages(before) {
			if _, ok := moves[from]; !ok && !now[from] {
				moves[from] = "/"
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for from := range s.redirects {
		if now[from] {
			delete(s.redirects, from)
		}
	}
	for from, to := range moves {
		s.redirects[from] = to
	}
}

// pages lists the URL paths of the pages a model makes.
func pages(m *plan.Model) map[string]bool {
	set := map[string]bool{"/": true}
	for _, u := range m.Units {
		set[unitPage(u.Code)] = true
	}
	for _, p := range m.Plans {
		set[planPage(p.ID)] = true
	}
	for _, l := range m.Levels {
		set[levelPage(l.ID)] = true
	}
	for _, b := range m.Bodies {
		set[bodyPage(b.ID)] = true
	}
	return set
}
