package vapitest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"time"

	"github.com/govapi/vapi"
)

// Defaults the live API gives a new session.
const (
	defaultStatus            = vapi.SessionStatusActive
	defaultExpirationSeconds = 86400
)

// record is a stored session. obj and body are never modified once built: an
// update replaces the record.
type record struct {
	seq                  int
	id                   string
	createdAt, updatedAt time.Time
	obj                  map[string]any // the Session as served, for filters
	body                 []byte         // the Session as served
}

// timeLayout is how the API writes dates: JavaScript's toISOString.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// newRecord builds a stored session from its JSON fields: it goes through
// vapi.Session, so the fake serves exactly what the SDK's type carries, and
// the timestamps are written with milliseconds.
func newRecord(fields map[string]any, seq int, createdAt, updatedAt time.Time) (*record, error) {
	createdAt = createdAt.UTC().Truncate(time.Millisecond)
	updatedAt = updatedAt.UTC().Truncate(time.Millisecond)
	fields["createdAt"] = createdAt.Format(timeLayout)
	fields["updatedAt"] = updatedAt.Format(timeLayout)
	var s vapi.Session
	if err := json.Unmarshal(mustJSON(fields), &s); err != nil {
		return nil, err
	}
	var obj map[string]any
	if err := json.Unmarshal(mustJSON(&s), &obj); err != nil {
		return nil, err
	}
	obj["createdAt"] = createdAt.Format(timeLayout)
	obj["updatedAt"] = updatedAt.Format(timeLayout)
	return &record{
		seq:       seq,
		id:        s.ID,
		createdAt: createdAt,
		updatedAt: updatedAt,
		obj:       obj,
		body:      mustJSON(obj),
	}, nil
}

func (s *Server) create(body []byte, now time.Time) response {
	var req vapi.CreateSessionRequest
	fields, bad := decodeRequest(body, &req)
	if bad != nil {
		return *bad
	}
	id := s.cfg.newID()
	if _, dup := s.sessions[id]; dup || id == "" {
		return errorResponse(http.StatusInternalServerError, "vapitest: the id generator returned an empty or already used id: "+id)
	}
	fields["id"] = id
	fields["orgId"] = s.cfg.orgID
	if _, ok := fields["status"]; !ok {
		fields["status"] = defaultStatus
	}
	if _, ok := fields["expirationSeconds"]; !ok {
		fields["expirationSeconds"] = defaultExpirationSeconds
	}
	s.seq++
	rec, err := newRecord(fields, s.seq, now, now)
	if err != nil {
		return errorResponse(http.StatusInternalServerError, "vapitest: building the session: "+err.Error())
	}
	s.sessions[id] = rec
	return response{status: http.StatusCreated, body: rec.body}
}

func (s *Server) get(id string) response {
	rec, bad := s.lookup(id)
	if bad != nil {
		return *bad
	}
	return response{status: http.StatusOK, body: rec.body}
}

func (s *Server) update(id string, body []byte, now time.Time) response {
	rec, bad := s.lookup(id)
	if bad != nil {
		return *bad
	}
	var req vapi.UpdateSessionRequest
	changes, bad := decodeRequest(body, &req)
	if bad != nil {
		return *bad
	}
	fields := make(map[string]any, len(rec.obj)+len(changes))
	for k, v := range rec.obj {
		fields[k] = v
	}
	for k, v := range changes {
		fields[k] = v
	}
	next, err := newRecord(fields, rec.seq, rec.createdAt, now)
	if err != nil {
		return errorResponse(http.StatusInternalServerError, "vapitest: building the session: "+err.Error())
	}
	s.sessions[id] = next
	return response{status: http.StatusOK, body: next.body}
}

func (s *Server) delete(id string) response {
	rec, bad := s.lookup(id)
	if bad != nil {
		return *bad
	}
	delete(s.sessions, id)
	return response{status: http.StatusOK, body: rec.body}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// lookup finds a session: 404 when there is none, and 400 when the id is not
// a UUID (as the live API's ParseUUIDPipe answers), unless a custom id
// generator served it.
func (s *Server) lookup(id string) (*record, *response) {
	if rec, ok := s.sessions[id]; ok {
		return rec, nil
	}
	var resp response
	if !uuidPattern.MatchString(id) {
		resp = errorResponse(http.StatusBadRequest, "Validation failed (uuid is expected)")
	} else {
		resp = errorResponse(http.StatusNotFound, "Session not found")
	}
	return nil, &resp
}
