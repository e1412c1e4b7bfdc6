package vapitest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govapi/vapi/vapitest"
)

const key = "test-key"

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// newServer starts a deterministic server that accepts only key.
func newServer(t *testing.T, opts ...vapitest.Option) *vapitest.Server {
	t.Helper()
	opts = append([]vapitest.Option{
		vapitest.WithAPIKey(key),
		vapitest.WithOrgID("org-1"),
		vapitest.WithIDGenerator(vapitest.SequentialIDs()),
		vapitest.WithClock(vapitest.StepClock(t0, time.Second)),
	}, opts...)
	srv := vapitest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

type result struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

// do sends a request with the test key (unless headers set Authorization)
// and decodes the JSON object it gets back.
func do(t *testing.T, srv *vapitest.Server, method, path, body string, headers ...string) result {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	res := result{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &res.body); err != nil {
			t.Fatalf("%s %s: body is not a JSON object: %v\n%s", method, path, err, b)
		}
	}
	return res
}

// messages returns an error body's "message" as a list.
func messages(t *testing.T, res result) []string {
	t.Helper()
	switch m := res.body["message"].(type) {
	case string:
		return []string{m}
	case []any:
		var out []string
		for _, s := range m {
			out = append(out, s.(string))
		}
		return out
	}
	t.Fatalf("no message in %s", res.raw)
	return nil
}

// wantError checks a NestJS error body.
func wantError(t *testing.T, res result, status int, want ...string) {
	t.Helper()
	if res.status != status {
		t.Fatalf("status = %d, want %d; body %s", res.status, status, res.raw)
	}
	if got := res.body["statusCode"]; got != float64(status) {
		t.Errorf("statusCode = %v, want %d", got, status)
	}
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	got := messages(t, res)
	if len(want) > 0 && !reflect.DeepEqual(got, want) {
		t.Errorf("message = %q, want %q", got, want)
	}
}

func TestCreate(t *testing.T) {
	tests := []struct {
		name string
		body string
		want map[string]any // fields expected in the 201 body
	}{
		{"empty body", "", map[string]any{"status": "active", "expirationSeconds": 86400.0}},
		{"empty object", "{}", map[string]any{"status": "active"}},
		{"by assistant id with overrides", `{"name":"s1","assistantId":"a1","assistantOverrides":{"variableValues":{"x":"y"}}}`,
			map[string]any{"name": "s1", "assistantId": "a1", "assistantOverrides": map[string]any{"variableValues": map[string]any{"x": "y"}}}},
		{"explicit status and expiration", `{"status":"completed","expirationSeconds":60}`,
			map[string]any{"status": "completed", "expirationSeconds": 60.0}},
		{"inline assistant", `{"assistant":{"name":"Riley","firstMessage":"Hi"}}`,
			map[string]any{"assistant": map[string]any{"name": "Riley", "firstMessage": "Hi"}}},
		{"squad", `{"squad":{"name":"team","members":[{"assistantId":"a1"}]}}`,
			map[string]any{"squad": map[string]any{"name": "team", "members": []any{map[string]any{"assistantId": "a1"}}}}},
		{"customer and phone number", `{"customer":{"number":"+14155550100"},"phoneNumberId":"p1"}`,
			map[string]any{"customer": map[string]any{"number": "+14155550100"}, "phoneNumberId": "p1"}},
		{"null optional field", `{"name":null}`, map[string]any{"status": "active"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			res := do(t, srv, "POST", "/session", tt.body)
			if res.status != http.StatusCreated {
				t.Fatalf("status = %d: %s", res.status, res.raw)
			}
			base := map[string]any{
				"id":        "00000000-0000-4000-8000-000000000001",
				"orgId":     "org-1",
				"createdAt": "2026-01-02T03:04:05.000Z",
				"updatedAt": "2026-01-02T03:04:05.000Z",
			}
			for k, v := range tt.want {
				base[k] = v
			}
			for k, v := range base {
				if !reflect.DeepEqual(res.body[k], v) {
					t.Errorf("%s = %#v, want %#v", k, res.body[k], v)
				}
			}
		})
	}
}

func TestCreateRandomIDs(t *testing.T) {
	srv := vapitest.NewServer()
	defer srv.Close()
	seen := map[string]bool{}
	for i := 0; i < 3; i++ {
		res := do(t, srv, "POST", "/session", "{}")
		id, _ := res.body["id"].(string)
		if len(id) != 36 || id[14] != '4' || !strings.Contains("89ab", id[19:20]) || seen[id] {
			t.Errorf("id %q is not a fresh version 4 UUID", id)
		}
		seen[id] = true
		created, _ := res.body["createdAt"].(string)
		if _, err := time.Parse("2006-01-02T15:04:05.000Z", created); err != nil {
			t.Errorf("createdAt %q: %v", created, err)
		}
	}
	orgs := map[any]bool{}
	for _, m := range listAll(t, srv, "") {
		orgs[m["orgId"]] = true
	}
	if len(orgs) != 1 {
		t.Errorf("orgIds %v, want one per server", orgs)
	}
}

func TestBadRequests(t *testing.T) {
	// want holds the messages expected, in order; those that come from the
	// SDK's validation are matched by prefix ("<field> "), as their wording
	// is the SDK's.
	tests := []struct {
		name   string
		method string
		body   string
		want   []string
	}{
		{"invalid JSON", "POST", `{"name":`, []string{"Unexpected token in JSON body: "}},
		{"not an object", "POST", `["a"]`, []string{"request body must be a JSON object"}},
		{"wrong type", "POST", `{"name":5}`, []string{"name must be a string"}},
		{"wrong type number", "POST", `{"expirationSeconds":"60"}`, []string{"expirationSeconds must be a number"}},
		{"wrong type object", "POST", `{"assistant":[]}`, []string{"assistant must be an object"}},
		{"wrong nested type", "POST", `{"customer":{"number":true}}`, []string{"customer.number must be a string"}},
		{"unknown top-level property", "POST", `{"foo":1,"bar":null}`,
			[]string{"property bar should not exist", "property foo should not exist"}},
		{"unknown nested property", "POST", `{"assistant":{"name":"a","foo":{"x":1}}}`,
			[]string{"assistant.property foo should not exist"}},
		{"unknown property in array element", "POST", `{"messages":[{"role":"user","message":"hi"},{"role":"user","message":"x","mood":"sad"}]}`,
			[]string{"messages.1.property mood should not exist"}},
		{"unknown and invalid together", "POST", `{"name":"` + strings.Repeat("n", 41) + `","status":"paused","customer":{"number":"1","zip":"x"}}`,
			[]string{"customer.property zip should not exist", "name must ", "status must ", "customer.number must "}},
		{"expiration out of range", "POST", `{"expirationSeconds":59}`, []string{"expirationSeconds must "}},
		{"update unknown property", "PATCH", `{"assistantId":"a"}`, []string{"property assistantId should not exist"}},
		{"update invalid", "PATCH", `{"status":"paused"}`, []string{"status must "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			path := "/session"
			if tt.method == "PATCH" {
				path += "/" + create(t, srv, `{}`)["id"].(string)
			}
			res := do(t, srv, tt.method, path, tt.body)
			wantError(t, res, http.StatusBadRequest)
			if res.body["error"] != "Bad Request" {
				t.Errorf("error = %v", res.body["error"])
			}
			got := messages(t, res)
			ok := len(got) == len(tt.want)
			for i := 0; ok && i < len(got); i++ {
				ok = strings.HasPrefix(got[i], tt.want[i])
			}
			if !ok {
				t.Errorf("message = %q, want %q", got, tt.want)
			}
		})
	}
	// Only one JSON error is a single string, as the body parser gives it.
	res := do(t, newServer(t), "POST", "/session", `{`)
	if _, ok := res.body["message"].(string); !ok {
		t.Errorf("message of a JSON syntax error = %#v, want a string", res.body["message"])
	}
}

func create(t *testing.T, srv *vapitest.Server, body string) map[string]any {
	t.Helper()
	res := do(t, srv, "POST", "/session", body)
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.raw)
	}
	return res.body
}

func TestAuth(t *testing.T) {
	tests := []struct {
		name   string
		opts   []vapitest.Option
		header string
		want   int
	}{
		{"configured key", nil, "Bearer " + key, 200},
		{"scheme is case-insensitive", nil, "bearer " + key, 200},
		{"wrong key", nil, "Bearer other", 401},
		{"no header", nil, "", 401},
		{"empty key", nil, "Bearer ", 401},
		{"basic auth", nil, "Basic dXNlcjpwYXNz", 401},
		{"any key by default", []vapitest.Option{vapitest.WithAPIKey("")}, "Bearer anything", 200},
		{"still needs a key by default", []vapitest.Option{vapitest.WithAPIKey("")}, "", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.opts...)
			for _, path := range []string{"/session", "/session/00000000-0000-4000-8000-000000000009"} {
				res := do(t, srv, "GET", path, "", "Authorization", tt.header)
				if tt.want == 401 {
					wantError(t, res, 401, "Unauthorized")
				} else if res.status == 401 {
					t.Errorf("GET %s: 401 with %q", path, tt.header)
				}
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		method, path string
		route        bool // a route of the API: the key is checked first
		status       int
		message      string
	}{
		{"GET", "/session/00000000-0000-4000-8000-00000000abcd", true, 404, "Session not found"},
		{"PATCH", "/session/00000000-0000-4000-8000-00000000abcd", true, 404, "Session not found"},
		{"DELETE", "/session/00000000-0000-4000-8000-00000000abcd", true, 404, "Session not found"},
		{"GET", "/session/not-a-uuid", true, 400, "Validation failed (uuid is expected)"},
		{"GET", "/no-such-resource", false, 404, "Cannot GET /no-such-resource"},
		{"GET", "/assistant/00000000-0000-4000-8000-00000000abcd", true, 404, "Assistant not found"},
		{"PUT", "/assistant", false, 404, "Cannot PUT /assistant"},
		{"PUT", "/session", false, 404, "Cannot PUT /session"},
		{"POST", "/session/x/y", false, 404, "Cannot POST /session/x/y"},
		{"GET", "/", false, 404, "Cannot GET /"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			if tt.route {
				wantError(t, do(t, srv, tt.method, tt.path, "{}", "Authorization", ""), 401)
			}
			res := do(t, srv, tt.method, tt.path, "{}")
			wantError(t, res, tt.status, tt.message)
		})
	}
}

func TestLifecycle(t *testing.T) {
	srv := newServer(t)
	s := create(t, srv, `{"name":"first","assistantId":"a1"}`) // t0
	id := s["id"].(string)
	path := "/session/" + id

	got := do(t, srv, "GET", path, "") // t0+1s
	if got.status != 200 || !reflect.DeepEqual(got.body, s) {
		t.Fatalf("GET = %d %s, want %v", got.status, got.raw, s)
	}
	if do(t, srv, "GET", path+"/", "").status != 200 {
		t.Error("a trailing slash should be ignored")
	}

	up := do(t, srv, "PATCH", path, `{"name":"renamed","status":"completed"}`) // t0+3s
	if up.status != 200 {
		t.Fatalf("PATCH = %d %s", up.status, up.raw)
	}
	want := map[string]any{}
	for k, v := range s {
		want[k] = v
	}
	want["name"] = "renamed"
	want["status"] = "completed"
	want["updatedAt"] = "2026-01-02T03:04:08.000Z"
	if !reflect.DeepEqual(up.body, want) {
		t.Errorf("PATCH body = %v\nwant %v", up.body, want)
	}
	if up := do(t, srv, "PATCH", path, ``); up.status != 200 || up.body["name"] != "renamed" {
		t.Errorf("empty PATCH = %d %s", up.status, up.raw)
	}
	up = do(t, srv, "PATCH", path, `{"messages":[{"role":"user","message":"hello"}]}`)
	msgs, _ := up.body["messages"].([]any)
	if up.status != 200 || len(msgs) != 1 || msgs[0].(map[string]any)["message"] != "hello" || up.body["name"] != "renamed" {
		t.Errorf("PATCH messages = %d %s", up.status, up.raw)
	}

	del := do(t, srv, "DELETE", path, "")
	if del.status != 200 || del.body["id"] != id || del.body["name"] != "renamed" {
		t.Errorf("DELETE = %d %s", del.status, del.raw)
	}
	wantError(t, do(t, srv, "GET", path, ""), 404, "Session not found")
	wantError(t, do(t, srv, "DELETE", path, ""), 404, "Session not found")
}

func TestCustomIDsNeedNotBeUUIDs(t *testing.T) {
	n := 0
	srv := newServer(t, vapitest.WithIDGenerator(func() string { n++; return fmt.Sprintf("sess_%d", n) }))
	id := create(t, srv, `{}`)["id"].(string)
	if id != "sess_1" {
		t.Fatalf("id = %q", id)
	}
	if res := do(t, srv, "GET", "/session/"+id, ""); res.status != 200 {
		t.Errorf("GET = %d %s", res.status, res.raw)
	}
	dup := newServer(t, vapitest.WithIDGenerator(func() string { return "same" }))
	create(t, dup, `{}`)
	wantError(t, do(t, dup, "POST", "/session", `{}`), 500)
}

// listAll reads every page of GET /session?query and returns the sessions.
func listAll(t *testing.T, srv *vapitest.Server, query string) []map[string]any {
	t.Helper()
	res := do(t, srv, "GET", "/session?"+query, "")
	if res.status != 200 {
		t.Fatalf("GET /session?%s = %d %s", query, res.status, res.raw)
	}
	var out []map[string]any
	for _, r := range res.body["results"].([]any) {
		out = append(out, r.(map[string]any))
	}
	return out
}

func names(sessions []map[string]any) []string {
	out := []string{}
	for _, s := range sessions {
		out = append(out, s["name"].(string))
	}
	return out
}

func TestListFilters(t *testing.T) {
	srv := newServer(t)
	// One session a second from t0; s3 is then updated at t0+4s.
	ids := map[string]string{}
	for _, body := range []string{
		`{"name":"s1","assistantId":"a1","phoneNumberId":"p1","customer":{"number":"+100"}}`,
		`{"name":"s2","assistantId":"a2","squadId":"q1"}`,
		`{"name":"s3","squadId":"q1","customer":{"number":"+300"}}`,
	} {
		s := create(t, srv, body)
		ids[s["name"].(string)] = s["id"].(string)
	}
	do(t, srv, "PATCH", "/session/"+ids["s3"], `{"status":"completed"}`)

	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"s3", "s2", "s1"}},
		{"sortOrder=ASC", []string{"s1", "s2", "s3"}},
		{"sortOrder=DESC&sortBy=createdAt", []string{"s3", "s2", "s1"}},
		{"id=" + ids["s2"], []string{"s2"}},
		{"idAny=" + ids["s1"] + "," + ids["s3"], []string{"s3", "s1"}},
		{"assistantId=a1", []string{"s1"}},
		{"assistantIdAny=a1,a2", []string{"s2", "s1"}},
		{"assistantIdAny=a1&assistantIdAny=a2", []string{"s2", "s1"}},
		{"squadId=q1", []string{"s3", "s2"}},
		{"name=s2", []string{"s2"}},
		{"name=nope", []string{}},
		{"phoneNumberId=p1", []string{"s1"}},
		{"phoneNumberIdAny=p1,p9", []string{"s1"}},
		{"workflowId=w", []string{}},
		{"number=%2B300", []string{"s3"}},
		{"customerNumberAny=%2B100,%2B300", []string{"s3", "s1"}},
		{"email=x@y.z&externalId=e3&sipUri=sip:x", []string{}},
		{"numberE164CheckEnabled=false&extension=1", []string{"s3", "s2", "s1"}},
		{"createdAtGt=2026-01-02T03:04:05Z", []string{"s3", "s2"}},
		{"createdAtGe=2026-01-02T03:04:05.000Z", []string{"s3", "s2", "s1"}},
		{"createdAtLt=2026-01-02T03:04:06Z", []string{"s1"}},
		{"createdAtLe=2026-01-02T03:04:06Z", []string{"s2", "s1"}},
		{"createdAtGe=2026-01-02T03:04:06Z&createdAtLe=2026-01-02T03:04:06Z", []string{"s2"}},
		{"createdAtGt=2026-01-02", []string{"s3", "s2", "s1"}},
		{"updatedAtGt=2026-01-02T03:04:07Z", []string{"s3"}},
		{"updatedAtGe=2026-01-02T03:04:08Z", []string{"s3"}},
		{"updatedAtLt=2026-01-02T03:04:07Z", []string{"s2", "s1"}},
		{"updatedAtLe=2026-01-02T03:04:07Z", []string{"s2", "s1"}},
		{"squadId=q1&sortOrder=ASC&createdAtGt=2026-01-02T03:04:06Z", []string{"s3"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			if got := names(listAll(t, srv, tt.query)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("names = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestListPagination(t *testing.T) {
	srv := newServer(t)
	for i := 1; i <= 5; i++ {
		create(t, srv, fmt.Sprintf(`{"name":"s%d"}`, i))
	}
	tests := []struct {
		query string
		want  []string
		meta  map[string]any
	}{
		{"", []string{"s5", "s4", "s3", "s2", "s1"},
			map[string]any{"itemsPerPage": 100.0, "totalItems": 5.0, "currentPage": 1.0, "totalPages": 1.0, "hasNextPage": false, "sortOrder": "DESC"}},
		{"limit=2", []string{"s5", "s4"},
			map[string]any{"itemsPerPage": 2.0, "totalItems": 5.0, "currentPage": 1.0, "totalPages": 3.0, "hasNextPage": true, "sortOrder": "DESC"}},
		{"limit=2&page=2&sortOrder=ASC", []string{"s3", "s4"},
			map[string]any{"itemsPerPage": 2.0, "totalItems": 5.0, "currentPage": 2.0, "totalPages": 3.0, "hasNextPage": true, "sortOrder": "ASC"}},
		{"limit=2&page=3", []string{"s1"},
			map[string]any{"itemsPerPage": 2.0, "totalItems": 5.0, "currentPage": 3.0, "totalPages": 3.0, "hasNextPage": false, "sortOrder": "DESC"}},
		{"limit=2&page=9", []string{},
			map[string]any{"itemsPerPage": 2.0, "totalItems": 5.0, "currentPage": 9.0, "totalPages": 3.0, "hasNextPage": false, "sortOrder": "DESC"}},
		{"limit=0", []string{},
			map[string]any{"itemsPerPage": 0.0, "totalItems": 5.0, "currentPage": 1.0, "totalPages": 0.0, "hasNextPage": false, "sortOrder": "DESC"}},
		{"limit=1000&page=1.0", []string{"s5", "s4", "s3", "s2", "s1"},
			map[string]any{"itemsPerPage": 1000.0, "totalItems": 5.0, "currentPage": 1.0, "totalPages": 1.0, "hasNextPage": false, "sortOrder": "DESC"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := do(t, srv, "GET", "/session?"+tt.query, "")
			if res.status != 200 {
				t.Fatalf("%d %s", res.status, res.raw)
			}
			if !strings.Contains(res.raw, `"results":[`) {
				t.Errorf("results is not an array: %s", res.raw)
			}
			var got []string
			for _, r := range res.body["results"].([]any) {
				got = append(got, r.(map[string]any)["name"].(string))
			}
			if got == nil {
				got = []string{}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("names = %q, want %q", got, tt.want)
			}
			if meta := res.body["metadata"]; !reflect.DeepEqual(meta, tt.meta) {
				t.Errorf("metadata = %v\nwant %v", meta, tt.meta)
			}
		})
	}
}

func TestListCursor(t *testing.T) {
	for _, order := range []string{"ASC", "DESC"} {
		t.Run(order, func(t *testing.T) {
			// A clock that stands still: the order comes from insertion.
			srv := newServer(t, vapitest.WithCursorPagination(), vapitest.WithClock(func() time.Time { return t0 }))
			for i := 1; i <= 5; i++ {
				create(t, srv, fmt.Sprintf(`{"name":"s%d"}`, i))
			}
			var got []string
			query := "limit=2&sortOrder=" + order
			for pages := 0; ; pages++ {
				if pages > 5 {
					t.Fatal("cursor does not advance")
				}
				res := do(t, srv, "GET", "/session?"+query, "")
				if res.status != 200 {
					t.Fatalf("%d %s", res.status, res.raw)
				}
				for _, r := range res.body["results"].([]any) {
					got = append(got, r.(map[string]any)["name"].(string))
				}
				meta := res.body["metadata"].(map[string]any)
				next, ok := meta["nextCursor"].(string)
				if ok != (meta["hasNextPage"] == true) {
					t.Fatalf("nextCursor %q with hasNextPage %v", next, meta["hasNextPage"])
				}
				if !ok {
					break
				}
				query = "limit=2&sortOrder=" + order + "&cursor=" + url.QueryEscape(next)
			}
			want := []string{"s1", "s2", "s3", "s4", "s5"}
			if order == "DESC" {
				sort.Sort(sort.Reverse(sort.StringSlice(want)))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("walked %q, want %q", got, want)
			}
		})
	}
	// Without the option no cursor is offered.
	srv := newServer(t)
	create(t, srv, `{}`)
	create(t, srv, `{}`)
	if res := do(t, srv, "GET", "/session?limit=1", ""); strings.Contains(res.raw, "nextCursor") {
		t.Errorf("nextCursor without WithCursorPagination: %s", res.raw)
	}
}

func TestListBadQuery(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		query string
		want  []string
	}{
		{"page=0", []string{"page must not be less than 1"}},
		{"page=1.5", []string{"page must be an integer number"}},
		{"page=x", []string{"page must be a number conforming to the specified constraints"}},
		{"limit=1001", []string{"limit must not be greater than 1000"}},
		{"limit=-1", []string{"limit must not be less than 0"}},
		{"sortOrder=asc", []string{"sortOrder must be one of the following values: ASC, DESC"}},
		{"sortBy=name", []string{"sortBy must be one of the following values: createdAt, duration, cost"}},
		{"createdAtGt=yesterday", []string{"createdAtGt must be a valid ISO 8601 date string"}},
		{"updatedAtLe=2026-13-01", []string{"updatedAtLe must be a valid ISO 8601 date string"}},
		{"cursor=%21%21", []string{"cursor is not a cursor this server issued"}},
		{"foo=1", []string{"property foo should not exist"}},
		{"page=0&limit=5000&foo=1", []string{"property foo should not exist", "limit must not be greater than 1000", "page must not be less than 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := do(t, srv, "GET", "/session?"+tt.query, "")
			wantError(t, res, 400)
			got := messages(t, res)
			sort.Strings(got)
			want := append([]string(nil), tt.want...)
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("message = %q, want %q", got, want)
			}
		})
	}
}

func TestFail(t *testing.T) {
	srv := newServer(t)
	srv.Fail(vapitest.Failure{Count: 2, Status: 503, Header: http.Header{"Retry-After": {"1"}}})
	srv.Fail(vapitest.Failure{Status: 429, Body: "slow down", Header: http.Header{"Content-Type": {"text/plain"}}})
	srv.Fail(vapitest.Failure{Status: 502, Body: `<html>bad gateway</html>`, Header: http.Header{"Content-Type": {"text/html"}}})

	for i := 0; i < 2; i++ {
		res := do(t, srv, "POST", "/session", `{}`, "Authorization", "") // failures skip auth
		wantError(t, res, 503, "Service Unavailable")
		if res.body["error"] != "Service Unavailable" || res.header.Get("Retry-After") != "1" {
			t.Errorf("attempt %d: %v %v", i, res.body, res.header)
		}
	}
	for _, want := range []struct {
		status      int
		contentType string
		body        string
	}{{429, "text/plain", "slow down"}, {502, "text/html", "<html>bad gateway</html>"}} {
		req, _ := http.NewRequest("GET", srv.URL+"/session", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want.status || resp.Header.Get("Content-Type") != want.contentType || string(b) != want.body {
			t.Errorf("got %d %q %q, want %v", resp.StatusCode, resp.Header.Get("Content-Type"), b, want)
		}
	}
	// Then the server is itself again; nothing was created by failed requests.
	if got := listAll(t, srv, ""); len(got) != 0 {
		t.Errorf("%d sessions after failed creates", len(got))
	}
	create(t, srv, `{}`)
}

func TestFailHeaderIsCopied(t *testing.T) {
	srv := newServer(t)
	h := http.Header{"Retry-After": {"1"}}
	srv.Fail(vapitest.Failure{Status: 503, Header: h})
	h.Set("Retry-After", "99")
	if res := do(t, srv, "GET", "/session", ""); res.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After = %q", res.header.Get("Retry-After"))
	}
}

func TestRequests(t *testing.T) {
	srv := newServer(t)
	create(t, srv, `{"name":"a"}`)
	do(t, srv, "GET", "/session?limit=1", "", "X-Trace", "t1")
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	if r := reqs[0]; r.Method != "POST" || r.URL.String() != "/session" || string(r.Body) != `{"name":"a"}` || r.Header.Get("Authorization") != "Bearer "+key {
		t.Errorf("request 0 = %+v", r)
	}
	if r := reqs[1]; r.Method != "GET" || r.URL.String() != "/session?limit=1" || r.Header.Get("X-Trace") != "t1" || len(r.Body) != 0 {
		t.Errorf("request 1 = %+v", r)
	}
	// Copies: changing them changes nothing inside the server.
	reqs[0].Body[0] = 'X'
	reqs[0].Header.Set("Authorization", "x")
	reqs[0].URL.Path = "/x"
	if r := srv.Requests()[0]; string(r.Body) != `{"name":"a"}` || r.Header.Get("Authorization") != "Bearer "+key || r.URL.Path != "/session" {
		t.Errorf("request 0 changed to %+v", r)
	}
}

func TestResponseHeaders(t *testing.T) {
	srv := newServer(t)
	a := do(t, srv, "GET", "/session", "")
	b := do(t, srv, "GET", "/session/nope", "")
	if a.header.Get("Date") != "Fri, 02 Jan 2026 03:04:05 GMT" || b.header.Get("Date") != "Fri, 02 Jan 2026 03:04:06 GMT" {
		t.Errorf("Date headers %q, %q do not follow the clock", a.header.Get("Date"), b.header.Get("Date"))
	}
	if a.header.Get("X-Request-Id") == "" || a.header.Get("X-Request-Id") == b.header.Get("X-Request-Id") {
		t.Errorf("X-Request-Id %q, %q", a.header.Get("X-Request-Id"), b.header.Get("X-Request-Id"))
	}
}

func TestStepClockAndSequentialIDs(t *testing.T) {
	clock := vapitest.StepClock(t0, time.Minute)
	if a, b := clock(), clock(); !a.Equal(t0) || !b.Equal(t0.Add(time.Minute)) {
		t.Errorf("clock read %v, %v", a, b)
	}
	ids := vapitest.SequentialIDs()
	if a, b := ids(), ids(); a != "00000000-0000-4000-8000-000000000001" || b != "00000000-0000-4000-8000-000000000002" {
		t.Errorf("ids %q, %q", a, b)
	}
}

// Two servers share nothing.
func TestServersAreIndependent(t *testing.T) {
	a, b := newServer(t), newServer(t)
	create(t, a, `{}`)
	if got := listAll(t, b, ""); len(got) != 0 {
		t.Errorf("server b sees %d sessions of server a", len(got))
	}
}

func TestConcurrentUse(t *testing.T) {
	srv := vapitest.NewServer()
	defer srv.Close()
	send := func(method, path, body string) (map[string]any, error) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer k")
		resp, err := srv.Client().Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var m map[string]any
		return m, json.NewDecoder(resp.Body).Decode(&m)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8*10*3)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				s, err := send("POST", "/session", fmt.Sprintf(`{"name":"g%d-%d"}`, i, j))
				errs <- err
				id, _ := s["id"].(string) // empty when a failure was injected
				_, err = send("PATCH", "/session/"+id, `{"status":"completed"}`)
				errs <- err
				_, err = send("GET", "/session?limit=5", "")
				errs <- err
				if j == 5 {
					srv.Fail(vapitest.Failure{Status: 500})
				}
				_ = srv.Requests()
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := len(srv.Requests()); got != 8*10*3 {
		t.Errorf("%d requests recorded, want %d", got, 8*10*3)
	}
}

func TestBodyTooLarge(t *testing.T) {
	srv := newServer(t)
	body := `{"name":"` + strings.Repeat("x", 10<<20) + `"}`
	wantError(t, do(t, srv, "POST", "/session", body), http.StatusRequestEntityTooLarge, "request entity too large")
}
