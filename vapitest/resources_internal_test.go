package vapitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

const fakeKey = "resource-key"

// fake is a server and the helpers to talk to it over plain HTTP.
type fake struct {
	t   *testing.T
	srv *Server
}

func newFake(t *testing.T) *fake {
	t.Helper()
	srv := NewServer(WithAPIKey(fakeKey), WithOrgID("org-1"), WithIDGenerator(SequentialIDs()),
		WithClock(StepClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC), time.Second)))
	t.Cleanup(srv.Close)
	return &fake{t: t, srv: srv}
}

type answer struct {
	status int
	header http.Header
	raw    []byte
}

// obj decodes the answer as a JSON object.
func (a answer) obj(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.raw, &m); err != nil {
		t.Fatalf("answer is not a JSON object: %v\n%s", err, a.raw)
	}
	return m
}

// list decodes a list answer: a page's results, or a plain array.
func (a answer) list(t *testing.T, resp respKind) []map[string]any {
	t.Helper()
	var out []map[string]any
	if resp == respPage {
		var page struct {
			Results  []map[string]any `json:"results"`
			Metadata map[string]any   `json:"metadata"`
		}
		if err := json.Unmarshal(a.raw, &page); err != nil || page.Metadata == nil {
			t.Fatalf("answer is not a page (%v):\n%s", err, a.raw)
		}
		return page.Results
	}
	if err := json.Unmarshal(a.raw, &out); err != nil {
		t.Fatalf("answer is not an array: %v\n%s", err, a.raw)
	}
	return out
}

func (f *fake) do(method, path, body string, header ...string) answer {
	f.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, r)
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+fakeKey)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, raw: b}
}

// wantNest checks a NestJS error body with status and, when given, a
// message that contains want.
func wantNest(t *testing.T, a answer, status int, want string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status = %d, want %d; body %s", a.status, status, a.raw)
	}
	var body struct {
		Message    any    `json:"message"`
		Error      string `json:"error"`
		StatusCode int    `json:"statusCode"`
	}
	if err := json.Unmarshal(a.raw, &body); err != nil {
		t.Fatalf("not a NestJS body: %s", a.raw)
	}
	// The API's 401 has no "error" member.
	if body.StatusCode != status || (body.Error != http.StatusText(status) && status != 401) {
		t.Errorf("statusCode %d, error %q in %s", body.StatusCode, body.Error, a.raw)
	}
	if want != "" && !strings.Contains(string(mustJSON(body.Message)), want) {
		t.Errorf("message %v does not contain %q", body.Message, want)
	}
}

// served are the stores the table's routes serve: sessions and chats
// have their own, hand-written fakes.
func served(ep *endpoint) bool {
	return ep.store != "/session" && ep.store != "/chat" && !strings.HasPrefix(ep.path, "/chat")
}

func endpointFor(store string, act action) *endpoint {
	for i := range endpoints {
		if ep := &endpoints[i]; ep.store == store && ep.action == act && !strings.HasPrefix(ep.path, "/v2/campaign") && !strings.HasPrefix(ep.path, "/v2/phone-number") {
			return ep
		}
	}
	for i := range endpoints {
		if ep := &endpoints[i]; ep.store == store && ep.action == act {
			return ep
		}
	}
	return nil
}

// fillPath writes a path template with vals, and each enum parameter's
// first value where vals has none.
func fillPath(ep *endpoint, vals map[string]string) string {
	p := ep.path
	for _, pp := range ep.params {
		v, ok := vals[pp.name]
		if !ok && len(pp.enum) > 0 {
			v = pp.enum[0]
		}
		p = strings.Replace(p, "{"+pp.name+"}", url.PathEscape(v), 1)
	}
	return p
}

// createBody is a valid body for a create: the table's minimal example,
// with what the fake needs beyond it.
func createBody(ep *endpoint) string {
	switch ep.store {
	case "/call":
		return `{"customer":{"number":"+15555550100"},"name":"first call"}`
	case "/eval/simulation/run":
		return `{"simulations":[{"type":"simulation","simulationId":"00000000-0000-4000-8000-0000000000aa"}],"target":{"type":"assistant","assistantId":"00000000-0000-4000-8000-0000000000bb"},"iterations":2}`
	case "/campaign":
		return `{"name":"spring","customers":[{"number":"+15555550101","name":"Ann"},{"number":"+15555550102"}]}`
	}
	if ep.body == nil {
		return ""
	}
	return ep.body.example
}

// requiredQuery is a query with a value for each required parameter.
func requiredQuery(ep *endpoint) string {
	q := url.Values{}
	for _, p := range ep.query {
		if p.required {
			q.Set(p.name, "true")
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// make creates a member of store (and its parents first) and returns its
// id and the path values that address it.
func (f *fake) make(store string) (string, map[string]string) {
	f.t.Helper()
	vals := map[string]string{}
	create := endpointFor(store, actCreate)
	if create == nil {
		create = endpointFor(store, actUpload)
	}
	if create == nil {
		// Members made by another create: a campaign's contacts, a
		// simulation run's items.
		list := endpointFor(store, actList)
		params := storeParams(store)
		parentID, _ := f.make(list.parent)
		vals[params[len(params)-1]] = parentID
		items := f.do("GET", fillPath(list, vals), "").list(f.t, list.resp)
		if len(items) == 0 {
			f.t.Fatalf("creating a member of %s made no member of %s", list.parent, store)
		}
		id, _ := items[0]["id"].(string)
		return id, vals
	}
	if create.parent != "" {
		params := storeParams(store)
		parentID, _ := f.make(create.parent)
		vals[params[len(params)-1]] = parentID
	}
	var a answer
	if create.action == actUpload {
		a = f.upload("notes.txt", "text/plain", "hello", "assistant")
	} else {
		body := createBody(create)
		if store == "/v2/knowledge-base/{id}/file" {
			fileID, _ := f.make("/file")
			body = `{"fileId":"` + fileID + `"}`
		}
		a = f.do("POST", fillPath(create, vals), body)
	}
	if a.status != create.status {
		f.t.Fatalf("%s %s: status %d, want %d: %s", create.method, create.path, a.status, create.status, a.raw)
	}
	id, _ := a.obj(f.t)["id"].(string)
	if id == "" {
		f.t.Fatalf("%s %s answered no id: %s", create.method, create.path, a.raw)
	}
	return id, vals
}

func (f *fake) upload(name, mimetype, content, purpose string, extra ...string) answer {
	f.t.Helper()
	var buf bytes.Buffer
	boundary := "vapitest-boundary"
	if name != "" {
		buf.WriteString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\nContent-Type: " + mimetype + "\r\n\r\n" + content + "\r\n")
	}
	parts := append([]string{"purpose", purpose}, extra...)
	for i := 0; i+1 < len(parts); i += 2 {
		if parts[i+1] == "" {
			continue
		}
		buf.WriteString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + parts[i] + "\"\r\n\r\n" + parts[i+1] + "\r\n")
	}
	buf.WriteString("--" + boundary + "--\r\n")
	return f.do("POST", "/file", buf.String(), "Content-Type", "multipart/form-data; boundary="+boundary)
}

// stores lists the stores of the table that the generic fake serves and
// that have a get.
func stores() []string {
	seen := map[string]bool{}
	var out []string
	for i := range endpoints {
		ep := &endpoints[i]
		if ep.action == actGet && served(ep) && !seen[ep.store] {
			seen[ep.store] = true
			out = append(out, ep.store)
		}
	}
	sort.Strings(out)
	return out
}

func TestTheTableCoversEveryOperationOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, ep := range endpoints {
		k := ep.method + " " + ep.path
		if seen[k] {
			t.Errorf("%s twice", k)
		}
		seen[k] = true
		if ep.action == 0 || ep.resp == 0 || ep.status == 0 {
			t.Errorf("%s: action %d, resp %d, status %d", k, ep.action, ep.resp, ep.status)
		}
	}
	if len(endpoints) != 137 {
		t.Errorf("%d endpoints, want the spec's 137 operations", len(endpoints))
	}
}

func TestEveryResourceMakesTheRoundTrip(t *testing.T) {
	for _, store := range stores() {
		t.Run(store+" is created, read, listed, updated and deleted", func(t *testing.T) {
			f := newFake(t)
			id, vals := f.make(store)
			get := endpointFor(store, actGet)
			member := get.params[len(get.params)-1].name
			vals[member] = id

			got := f.do("GET", fillPath(get, vals), "")
			if got.status != 200 || got.obj(t)["id"] != id {
				t.Fatalf("GET %s: %d %s", get.path, got.status, got.raw)
			}
			if _, ok := got.obj(t)["orgId"]; ok && got.obj(t)["orgId"] != "org-1" {
				t.Errorf("orgId = %v", got.obj(t)["orgId"])
			}

			for i := range endpoints {
				list := &endpoints[i]
				if list.store != store || list.action != actList {
					continue
				}
				q := ""
				for _, p := range list.query {
					if p.required {
						q = "?" + p.name + "=assistant"
					}
				}
				a := f.do("GET", fillPath(list, vals)+q, "")
				if a.status != 200 {
					t.Fatalf("GET %s: %d %s", list.path, a.status, a.raw)
				}
				found := false
				for _, item := range a.list(t, list.resp) {
					found = found || item["id"] == id
				}
				if !found {
					t.Errorf("GET %s does not list %s: %s", list.path, id, a.raw)
				}
			}

			if up := endpointFor(store, actUpdate); up != nil {
				body := `{}`
				if up.body != nil {
					body = up.body.example
				}
				a := f.do("PATCH", fillPath(up, vals)+requiredQuery(up), body)
				if a.status != 200 || a.obj(t)["id"] != id {
					t.Fatalf("PATCH %s: %d %s", up.path, a.status, a.raw)
				}
				if before, after := got.obj(t)["updatedAt"], a.obj(t)["updatedAt"]; before != nil && before == after {
					t.Errorf("PATCH %s left updatedAt at %v", up.path, before)
				}
			}
			if cancel := endpointFor(store, actCancel); cancel != nil {
				a := f.do("PATCH", fillPath(cancel, vals), "")
				if a.status != 200 || a.obj(t)["status"] != cancel.cancelStatus {
					t.Fatalf("PATCH %s: %d %s, want status %s", cancel.path, a.status, a.raw, cancel.cancelStatus)
				}
			}

			del := endpointFor(store, actDelete)
			if del == nil {
				return
			}
			a := f.do("DELETE", fillPath(del, vals), "")
			if a.status != 200 || a.obj(t)["id"] != id {
				t.Fatalf("DELETE %s: %d %s", del.path, a.status, a.raw)
			}
			wantNest(t, f.do("GET", fillPath(get, vals), ""), 404, "not found")
			wantNest(t, f.do("DELETE", fillPath(del, vals), ""), 404, "not found")
		})
	}
}

func TestCreateKeepsEveryMemberTheClientSent(t *testing.T) {
	f := newFake(t)
	a := f.do("POST", "/assistant", `{"name":"Riley","firstMessage":"Hi there","metadata":{"team":"sales","n":3}}`)
	if a.status != 201 {
		t.Fatalf("status %d: %s", a.status, a.raw)
	}
	got := a.obj(t)
	for k, want := range map[string]any{"name": "Riley", "firstMessage": "Hi there", "orgId": "org-1", "createdAt": "2026-03-04T05:06:07.000Z"} {
		if got[k] != want {
			t.Errorf("%s = %v, want %v", k, got[k], want)
		}
	}
	if m, _ := got["metadata"].(map[string]any); m["team"] != "sales" || m["n"] != float64(3) {
		t.Errorf("metadata = %v", got["metadata"])
	}
	id := got["id"].(string)
	up := f.do("PATCH", "/assistant/"+id, `{"name":"Riley 2"}`).obj(t)
	if up["name"] != "Riley 2" || up["firstMessage"] != "Hi there" {
		t.Errorf("PATCH merges members: %v", up)
	}
}

func TestEveryMemberRouteAnswers404ForAnUnknownID(t *testing.T) {
	f := newFake(t)
	for i := range endpoints {
		ep := &endpoints[i]
		if !served(ep) || ep.store == "" || ep.action == actCreate || ep.action == actList || ep.action == actUpload || len(ep.params) == 0 {
			continue
		}
		t.Run(ep.method+" "+ep.path+" answers 404 for an unknown id", func(t *testing.T) {
			vals := map[string]string{}
			for _, p := range ep.params {
				if len(p.enum) == 0 {
					vals[p.name] = "00000000-0000-4000-8000-00000000dead"
				}
			}
			body := ""
			if ep.body != nil {
				body = ep.body.example
			}
			a := f.do(ep.method, fillPath(ep, vals)+requiredQuery(ep), body)
			wantNest(t, a, 404, "not found")
		})
	}
}

func TestAnIDThatIsNotAUUIDIsA400WherePathsWantOne(t *testing.T) {
	f := newFake(t)
	wantNest(t, f.do("GET", "/assistant/not-a-uuid", ""), 400, "Validation failed (uuid is expected)")
	wantNest(t, f.do("GET", "/provider/nope/pronunciation-dictionary", ""), 400, "provider must be one of the following values: cartesia, 11labs")
}

func TestEveryRouteAsksForTheKey(t *testing.T) {
	f := newFake(t)
	for i := range endpoints {
		ep := &endpoints[i]
		t.Run(ep.method+" "+ep.path+" is a 401 without a bearer key", func(t *testing.T) {
			vals := map[string]string{}
			for _, p := range ep.params {
				vals[p.name] = "00000000-0000-4000-8000-000000000001"
			}
			wantNest(t, f.do(ep.method, fillPath(ep, vals), "{}", "Authorization", ""), 401, "Unauthorized")
			wantNest(t, f.do(ep.method, fillPath(ep, vals), "{}", "Authorization", "Bearer wrong"), 401, "Unauthorized")
		})
	}
}

func TestBodiesAreCheckedLikeTheAPIChecksThem(t *testing.T) {
	f := newFake(t)
	tests := []struct {
		name, method, path, body, want string
	}{
		{"an unknown member of a typed body", "POST", "/assistant", `{"nmae":"x"}`, "property nmae should not exist"},
		{"a member of the wrong type", "POST", "/assistant", `{"name":5}`, "name must be a string"},
		{"a nested unknown member", "POST", "/squad", `{"members":[{"assistantId":"a","color":"red"}]}`, "members.0.property color should not exist"},
		{"a union body without its discriminator", "POST", "/tool", `{"function":{"name":"f"}}`, "type must be one of the following values: apiRequest"},
		{"a union body with an unknown discriminator", "POST", "/phone-number", `{"provider":"carrier-pigeon"}`, "provider must be one of the following values: byo-phone-number, twilio"},
		{"a body that is not JSON", "POST", "/campaign", `{"name":`, "Unexpected token in JSON body"},
		{"a body that is not an object", "POST", "/campaign", `[1]`, "request body must be a JSON object"},
		{"a call without a customer", "POST", "/call", `{"name":"x"}`, "call needs a customer"},
		{"a call with customer and customers", "POST", "/call", `{"customer":{"number":"+1555"},"customers":[{"number":"+1556"}]}`, "customers must not be set with customer"},
		{"an unknown query parameter of an action", "GET", "/eval/simulation/concurrency?x=1", "", "property x should not exist"},
		{"a missing required query parameter", "GET", "/file", "", "purpose must be a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is a 400", func(t *testing.T) {
			wantNest(t, f.do(tt.method, tt.path, tt.body), 400, tt.want)
		})
	}
}

func TestListsFilterAndPaginateAsTheirQuerySays(t *testing.T) {
	f := newFake(t)
	var ids []string
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		a := f.do("POST", "/observability/scorecard", `{"name":"`+name+`","metrics":[]}`)
		if a.status != 201 {
			t.Fatalf("create: %d %s", a.status, a.raw)
		}
		ids = append(ids, a.obj(t)["id"].(string))
	}
	names := func(items []map[string]any) string {
		var out []string
		for _, it := range items {
			out = append(out, it["name"].(string))
		}
		return strings.Join(out, ",")
	}
	page := func(q string) (string, map[string]any) {
		a := f.do("GET", "/observability/scorecard"+q, "")
		if a.status != 200 {
			t.Fatalf("GET %s: %d %s", q, a.status, a.raw)
		}
		var p struct {
			Results  []map[string]any `json:"results"`
			Metadata map[string]any   `json:"metadata"`
		}
		_ = json.Unmarshal(a.raw, &p)
		return names(p.Results), p.Metadata
	}
	tests := []struct {
		query, want string
	}{
		{"", "e,d,c,b,a"},
		{"?sortOrder=ASC", "a,b,c,d,e"},
		{"?limit=2", "e,d"},
		{"?limit=2&page=2", "c,b"},
		{"?limit=2&page=3", "a"},
		{"?id=" + ids[1], "b"},
		{"?createdAtGt=2026-03-04T05:06:08Z", "e,d,c"},
		{"?createdAtLe=2026-03-04T05:06:08Z", "b,a"},
		{"?createdAtGe=2026-03-04T05:06:08Z&createdAtLt=2026-03-04T05:06:10Z", "c,b"},
		{"?updatedAtLt=2026-03-04T05:06:08Z", "a"},
	}
	for _, tt := range tests {
		t.Run("GET /observability/scorecard"+tt.query+" lists "+tt.want, func(t *testing.T) {
			if got, _ := page(tt.query); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	t.Run("the metadata counts items and pages", func(t *testing.T) {
		_, meta := page("?limit=2&page=2")
		for k, want := range map[string]any{"itemsPerPage": float64(2), "currentPage": float64(2), "totalItems": float64(5), "totalPages": float64(3), "hasNextPage": true} {
			if meta[k] != want {
				t.Errorf("%s = %v, want %v", k, meta[k], want)
			}
		}
	})
	t.Run("a bad query is a 400 listing every problem", func(t *testing.T) {
		a := f.do("GET", "/observability/scorecard?limit=5000&sortOrder=UP&color=red&createdAtGt=yesterday", "")
		for _, want := range []string{"limit must not be greater than 1000", "sortOrder must be one of the following values: ASC, DESC", "property color should not exist", "createdAtGt must be a valid ISO 8601 date string"} {
			wantNest(t, a, 400, want)
		}
	})
}

func TestArrayListsAreNewestFirstWithinTheLimit(t *testing.T) {
	f := newFake(t)
	for _, n := range []string{"one", "two", "three"} {
		f.do("POST", "/assistant", `{"name":"`+n+`"}`)
	}
	tests := []struct{ query, want string }{
		{"", "three,two,one"},
		{"?limit=2", "three,two"},
		{"?createdAtLt=2026-03-04T05:06:09Z", "two,one"},
		{"?limit=1&createdAtLt=2026-03-04T05:06:09Z", "two"},
	}
	for _, tt := range tests {
		t.Run("GET /assistant"+tt.query+" is "+tt.want, func(t *testing.T) {
			var got []string
			for _, it := range f.do("GET", "/assistant"+tt.query, "").list(t, respArray) {
				got = append(got, it["name"].(string))
			}
			if strings.Join(got, ",") != tt.want {
				t.Errorf("got %v, want %s", got, tt.want)
			}
		})
	}
	wantNest(t, f.do("GET", "/assistant?page=2", ""), 400, "property page should not exist")
}

func TestPhoneNumbersAreListedByBothPaths(t *testing.T) {
	f := newFake(t)
	a := f.do("POST", "/phone-number", `{"provider":"byo-phone-number","credentialId":"c1","number":"+15555550123","name":"front desk"}`)
	if a.status != 201 || a.obj(t)["provider"] != "byo-phone-number" {
		t.Fatalf("create: %d %s", a.status, a.raw)
	}
	id := a.obj(t)["id"].(string)
	if got := f.do("GET", "/phone-number", "").list(t, respArray); len(got) != 1 || got[0]["id"] != id {
		t.Errorf("GET /phone-number = %v", got)
	}
	if got := f.do("GET", "/v2/phone-number?search=FRONT", "").list(t, respPage); len(got) != 1 || got[0]["id"] != id {
		t.Errorf("GET /v2/phone-number?search=FRONT = %v", got)
	}
	if got := f.do("GET", "/v2/phone-number?search=back", "").list(t, respPage); len(got) != 0 {
		t.Errorf("GET /v2/phone-number?search=back = %v", got)
	}
	up := f.do("PATCH", "/phone-number/"+id, `{"name":"lobby"}`)
	if up.status != 200 || up.obj(t)["name"] != "lobby" {
		t.Errorf("PATCH: %d %s", up.status, up.raw)
	}
}

func TestNestedResourcesBelongToTheirParent(t *testing.T) {
	f := newFake(t)
	fileID, _ := f.make("/file")
	kb := f.do("POST", "/v2/knowledge-base", `{"name":"docs"}`).obj(t)
	kbID := kb["id"].(string)
	att := f.do("POST", "/v2/knowledge-base/"+kbID+"/file", `{"fileId":"`+fileID+`"}`)
	if att.status != 201 {
		t.Fatalf("attach: %d %s", att.status, att.raw)
	}
	a := att.obj(t)
	if a["knowledgeBaseV2Id"] != kbID || a["fileName"] != "notes.txt" || a["status"] != "ready" {
		t.Errorf("attached file = %v", a)
	}
	withFiles := f.do("GET", "/v2/knowledge-base/"+kbID, "").obj(t)
	if files, _ := withFiles["files"].([]any); len(files) != 1 || withFiles["toolId"] == nil {
		t.Errorf("GET knowledge base = %v", withFiles)
	}
	other := f.do("POST", "/v2/knowledge-base", `{"name":"other"}`).obj(t)["id"].(string)
	wantNest(t, f.do("DELETE", "/v2/knowledge-base/"+other+"/file/"+a["id"].(string), ""), 404, "File not found")
	if r := f.do("POST", "/v2/knowledge-base/"+kbID+"/file/"+a["id"].(string)+"/retry", ""); r.status != 201 || r.obj(t)["id"] != a["id"] {
		t.Errorf("retry: %d %s", r.status, r.raw)
	}
	wantNest(t, f.do("GET", "/v2/knowledge-base/00000000-0000-4000-8000-00000000dead/file", ""), 404, "Knowledge Base not found")

	camp := f.do("POST", "/v2/campaign", createBody(endpointFor("/campaign", actCreate))).obj(t)
	contacts := f.do("GET", "/v2/campaign/"+camp["id"].(string)+"/contacts", "").list(t, respPage)
	if len(contacts) != 2 || contacts[0]["campaignId"] != camp["id"] {
		t.Errorf("contacts = %v", contacts)
	}
	for q, want := range map[string]int{"?status=contact.pending": 2, "?status=contact.failed,contact.skipped": 0} {
		if got := f.do("GET", "/v2/campaign/"+camp["id"].(string)+"/contacts"+q, "").list(t, respPage); len(got) != want {
			t.Errorf("contacts%s: %d, want %d", q, len(got), want)
		}
	}
	if got := f.do("GET", "/campaign/"+camp["id"].(string), ""); got.status != 200 {
		t.Errorf("a /v2 campaign is a campaign: %d %s", got.status, got.raw)
	}

	run := f.do("POST", "/eval/simulation/run", createBody(endpointFor("/eval/simulation/run", actCreate))).obj(t)
	if ids, _ := run["simulationRunItemIds"].([]any); len(ids) != 2 {
		t.Errorf("simulationRunItemIds = %v", run["simulationRunItemIds"])
	}
	items := f.do("GET", "/eval/simulation/run/"+run["id"].(string)+"/item?status=queued", "").list(t, respArray)
	if len(items) != 2 || items[0]["runId"] != run["id"] {
		t.Errorf("items = %v", items)
	}
}

func TestActionsAnswerTheirSchemasRequiredMembers(t *testing.T) {
	for i := range endpoints {
		ep := &endpoints[i]
		if ep.action != actAction || !served(ep) {
			continue
		}
		t.Run(ep.method+" "+ep.path+" answers a "+ep.schema, func(t *testing.T) {
			f := newFake(t)
			vals := map[string]string{}
			if ep.store != "" {
				id, v := f.make(ep.store)
				vals = v
				vals[ep.params[len(storeParams(ep.store))].name] = id
			}
			q := requiredQuery(ep)
			body := ""
			if ep.body != nil {
				body = ep.body.example
			}
			if ep.path == "/analytics" {
				body = `{"queries":[{"table":"call","name":"total","operations":[{"operation":"count","column":"id"}]}]}`
			}
			a := f.do(ep.method, fillPath(ep, vals)+q, body)
			if a.status != ep.status {
				t.Fatalf("status %d, want %d: %s", a.status, ep.status, a.raw)
			}
			if ep.resp == respNone {
				return
			}
			var got map[string]any
			if ep.resp == respArray {
				items := a.list(t, respArray)
				if len(items) == 0 {
					t.Fatalf("empty answer: %s", a.raw)
				}
				got = items[0]
			} else {
				got = a.obj(t)
			}
			var want map[string]any
			_ = json.Unmarshal([]byte(ep.fill[""]), &want)
			for k := range want {
				if _, ok := got[k]; !ok {
					t.Errorf("answer lacks required member %s: %s", k, a.raw)
				}
			}
			if _, ok := want["orgId"]; ok && got["orgId"] != "org-1" {
				t.Errorf("orgId = %v", got["orgId"])
			}
		})
	}
}

func TestCreatesBeyondTheBoundAre507(t *testing.T) {
	f := newFake(t)
	f.srv.mu.Lock()
	f.srv.storedBytes = MaxStoredBytes - 10
	f.srv.mu.Unlock()
	wantNest(t, f.do("POST", "/assistant", `{"name":"one too many"}`), 507, "delete some")
	f.srv.mu.Lock()
	f.srv.storedBytes = 0
	f.srv.mu.Unlock()
	if a := f.do("POST", "/assistant", `{}`); a.status != 201 {
		t.Errorf("after room is made: %d %s", a.status, a.raw)
	}
}

func TestDeletingAResourceDeletesWhatItHolds(t *testing.T) {
	f := newFake(t)
	kb := f.do("POST", "/v2/knowledge-base", `{"name":"docs"}`).obj(t)["id"].(string)
	f.do("POST", "/v2/knowledge-base/"+kb+"/file", `{"fileId":"f1"}`)
	if n := len(f.srv.stores["/v2/knowledge-base/{id}/file"]); n != 1 {
		t.Fatalf("%d attached files", n)
	}
	f.do("DELETE", "/v2/knowledge-base/"+kb, "")
	f.srv.mu.Lock()
	defer f.srv.mu.Unlock()
	if n := len(f.srv.stores["/v2/knowledge-base/{id}/file"]); n != 0 {
		t.Errorf("%d attached files left after the knowledge base was deleted", n)
	}
}

func TestTheStoresAreSafeForConcurrentUse(t *testing.T) {
	f := newFake(t)
	// send is f.do without t: goroutines other than the test's report
	// through the channel.
	send := func(method, path, body string) (map[string]any, error) {
		req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+fakeKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var m map[string]any
		b, _ := io.ReadAll(resp.Body)
		_ = json.Unmarshal(b, &m)
		if resp.StatusCode >= 300 {
			return m, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		return m, nil
	}
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			for i := range 20 {
				call, err := send("POST", "/call", `{"customerId":"c"}`)
				if err != nil {
					errs <- err
					return
				}
				id, _ := call["id"].(string)
				steps := []func() error{
					func() error { return f.srv.SetCallStatus(id, "ringing") },
					func() error { _, err := send("PATCH", "/call/"+id, `{"name":"n"}`); return err },
					func() error { _, err := send("GET", "/call?limit=5", ""); return err },
				}
				if (g+i)%3 == 0 {
					steps = append(steps, func() error { _, err := send("DELETE", "/call/"+id, ""); return err })
				}
				for _, step := range steps {
					if err := step(); err != nil {
						errs <- err
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	// 160 calls, 53 of them deleted.
	if got := f.do("GET", "/call?limit=1000", "").list(t, respArray); len(got) != 160-53 {
		t.Errorf("%d calls left, want %d", len(got), 160-53)
	}
}
