package vapitest

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/govapi/vapi"
)

// Query parameters of GET /session.
var (
	// exact filters: parameter -> JSON path of the session field it matches.
	exactFilters = map[string][]string{
		"id":            {"id"},
		"name":          {"name"},
		"assistantId":   {"assistantId"},
		"squadId":       {"squadId"},
		"workflowId":    {"workflowId"},
		"phoneNumberId": {"phoneNumberId"},
		"number":        {"customer", "number"},
		"sipUri":        {"customer", "sipUri"},
		"email":         {"customer", "email"},
		"externalId":    {"customer", "externalId"},
	}
	// any-of filters: comma-separated values (or the parameter repeated).
	anyFilters = map[string][]string{
		"idAny":             {"id"},
		"assistantIdAny":    {"assistantId"},
		"phoneNumberIdAny":  {"phoneNumberId"},
		"customerNumberAny": {"customer", "number"},
	}
	// accepted and ignored, as they do not filter sessions the fake keeps.
	ignoredParams = map[string]bool{
		"numberE164CheckEnabled": true,
		"extension":              true,
		"assistantOverrides":     true,
		"squadOverrides":         true,
	}
	dateFilters = map[string]func(rec *record, t time.Time) bool{
		"createdAtGt": func(r *record, t time.Time) bool { return r.createdAt.After(t) },
		"createdAtLt": func(r *record, t time.Time) bool { return r.createdAt.Before(t) },
		"createdAtGe": func(r *record, t time.Time) bool { return !r.createdAt.Before(t) },
		"createdAtLe": func(r *record, t time.Time) bool { return !r.createdAt.After(t) },
		"updatedAtGt": func(r *record, t time.Time) bool { return r.updatedAt.After(t) },
		"updatedAtLt": func(r *record, t time.Time) bool { return r.updatedAt.Before(t) },
		"updatedAtGe": func(r *record, t time.Time) bool { return !r.updatedAt.Before(t) },
		"updatedAtLe": func(r *record, t time.Time) bool { return !r.updatedAt.After(t) },
	}
)

const (
	defaultLimit = 100
	maxLimit     = 1000
)

// listRoute is what one list route accepts: its filters, and whether it
// takes a cursor.
type listRoute struct {
	exact   map[string][]string
	any     map[string][]string
	ignored map[string]bool
	cursor  bool
}

// sessionList is GET /session.
var sessionList = listRoute{exact: exactFilters, any: anyFilters, ignored: ignoredParams, cursor: true}

// listQuery is a parsed GET /session or GET /chat query.
type listQuery struct {
	filters   []func(*record) bool
	sortOrder vapi.SortOrder
	limit     int
	page      int
	cursor    *cursor
}

// parseListQuery checks every parameter and reports every problem, as the
// live API's ValidationPipe does.
func parseListQuery(q url.Values, route listRoute) (listQuery, []string) {
	lq := listQuery{sortOrder: vapi.SortOrderDESC, limit: defaultLimit, page: 1}
	var msgs []string
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		vals := q[name]
		v := vals[len(vals)-1]
		switch {
		case route.exact[name] != nil:
			lq.filters = append(lq.filters, matchAny(route.exact[name], []string{v}))
		case route.any[name] != nil:
			var want []string
			for _, v := range vals {
				want = append(want, strings.Split(v, ",")...)
			}
			lq.filters = append(lq.filters, matchAny(route.any[name], want))
		case dateFilters[name] != nil:
			t, err := parseDate(v)
			if err != nil {
				msgs = append(msgs, name+" must be a valid ISO 8601 date string")
				continue
			}
			cmp := dateFilters[name]
			lq.filters = append(lq.filters, func(r *record) bool { return cmp(r, t) })
		case route.ignored[name]:
		case name == "sortOrder":
			switch o := vapi.SortOrder(v); o {
			case vapi.SortOrderASC, vapi.SortOrderDESC:
				lq.sortOrder = o
			default:
				msgs = append(msgs, "sortOrder must be one of the following values: ASC, DESC")
			}
		case name == "sortBy":
			switch v {
			case "createdAt", "duration", "cost":
			default:
				msgs = append(msgs, "sortBy must be one of the following values: createdAt, duration, cost")
			}
		case name == "limit":
			n, msg := parseInt(name, v, 0, maxLimit)
			if msg != "" {
				msgs = append(msgs, msg)
			}
			lq.limit = n
		case name == "page":
			n, msg := parseInt(name, v, 1, math.MaxInt32)
			if msg != "" {
				msgs = append(msgs, msg)
			}
			lq.page = n
		case name == "cursor" && route.cursor:
			c, err := parseCursor(v)
			if err != nil {
				msgs = append(msgs, "cursor is not a cursor this server issued")
				continue
			}
			lq.cursor = &c
		default:
			msgs = append(msgs, "property "+name+" should not exist")
		}
	}
	return lq, msgs
}

// matchAny matches sessions whose string field at path is one of want.
func matchAny(path []string, want []string) func(*record) bool {
	return func(r *record) bool {
		var v any = r.obj
		for _, k := range path {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		s, ok := v.(string)
		if !ok {
			return false
		}
		for _, w := range want {
			if s == w {
				return true
			}
		}
		return false
	}
}

// parseDate reads a date the way JavaScript's Date does for the forms that
// matter: RFC 3339 with or without fractional seconds, or a plain date.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02", s)
}

// parseInt reads a whole number in [lo, hi], with class-validator's words
// for a bad one.
func parseInt(name, s string, lo, hi int) (int, string) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return lo, name + " must be a number conforming to the specified constraints"
	}
	if f < float64(lo) {
		return lo, fmt.Sprintf("%s must not be less than %d", name, lo)
	}
	if f > float64(hi) {
		return hi, fmt.Sprintf("%s must not be greater than %d", name, hi)
	}
	if f != math.Trunc(f) {
		return lo, name + " must be an integer number"
	}
	return int(f), ""
}

// cursor is the position after the last session of a page, in the sort
// order (createdAt, then insertion). It travels base64url-encoded.
type cursor struct {
	CreatedAt int64 `json:"t"` // Unix milliseconds
	Seq       int   `json:"s"`
}

func (c cursor) String() string {
	return base64.RawURLEncoding.EncodeToString(mustJSON(c))
}

func parseCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, err
	}
	err = json.Unmarshal(b, &c)
	return c, err
}

// compare orders r against position c: negative when r sorts first in
// ascending order, positive when it sorts after.
func (c cursor) compare(r *record) int {
	if t := r.createdAt.UnixMilli(); t != c.CreatedAt {
		return cmp.Compare(t, c.CreatedAt)
	}
	return cmp.Compare(r.seq, c.Seq)
}

// list answers a list route for a checked query over recs (the sessions or
// the chats), with a nextCursor when cursors is set.
func (s *Server) list(recs map[string]*record, lq listQuery, cursors bool) response {
	var all []*record
next:
	for _, r := range recs {
		if r == nil {
			continue // reserved by a create in progress
		}
		for _, f := range lq.filters {
			if !f(r) {
				continue next
			}
		}
		all = append(all, r)
	}
	asc := lq.sortOrder == vapi.SortOrderASC
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if !a.createdAt.Equal(b.createdAt) {
			return a.createdAt.Before(b.createdAt) == asc
		}
		return (a.seq < b.seq) == asc
	})

	start := (lq.page - 1) * lq.limit
	if c := lq.cursor; c != nil {
		start = sort.Search(len(all), func(i int) bool {
			if asc {
				return c.compare(all[i]) > 0
			}
			return c.compare(all[i]) < 0
		})
	}
	start = min(start, len(all))
	end := min(start+lq.limit, len(all))

	results := make([]json.RawMessage, 0, end-start)
	for _, r := range all[start:end] {
		results = append(results, r.body)
	}
	meta := map[string]any{
		"itemsPerPage": lq.limit,
		"totalItems":   len(all),
		"currentPage":  lq.page,
		"totalPages":   0,
		"hasNextPage":  false,
		"sortOrder":    lq.sortOrder,
	}
	if lq.limit > 0 {
		meta["totalPages"] = (len(all) + lq.limit - 1) / lq.limit
		if lq.cursor != nil {
			meta["currentPage"] = start/lq.limit + 1
		}
		if end < len(all) {
			meta["hasNextPage"] = true
			if cursors {
				last := all[end-1]
				meta["nextCursor"] = cursor{CreatedAt: last.createdAt.UnixMilli(), Seq: last.seq}.String()
			}
		}
	}
	return response{status: http.StatusOK, body: mustJSON(map[string]any{"results": results, "metadata": meta})}
}
