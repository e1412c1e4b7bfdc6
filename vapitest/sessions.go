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
	scope                string // a nested resource's parent ids (see resources.go)
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

// create reserves an id for a new session from the fields of a checked
// request, under the lock, and returns the function that builds and stores
// the session once the lock is released. Until then the id is reserved (a
// nil record), which every other operation treats as unknown.
func (s *Server) create(fields map[string]any, now time.Time) (response, func() response) {
	id := s.cfg.newID()
	if _, dup := s.sessions[id]; dup || id == "" {
		return errorResponse(http.StatusInternalServerError, "vapitest: the id generator returned an empty or already used id: "+id), nil
	}
	s.seq++
	seq := s.seq
	s.sessions[id] = nil
	return response{}, func() response {
		fields["id"] = id
		fields["orgId"] = s.cfg.orgID
		if _, ok := fields["status"]; !ok {
			fields["status"] = defaultStatus
		}
		if _, ok := fields["expirationSeconds"]; !ok {
			fields["expirationSeconds"] = defaultExpirationSeconds
		}
		rec, err := newRecord(fields, seq, now, now)
		s.mu.Lock()
		defer s.mu.Unlock()
		if err != nil {
			delete(s.sessions, id)
			return errorResponse(http.StatusInternalServerError, "vapitest: building the session: "+err.Error())
		}
		s.sessions[id] = rec
		return response{status: http.StatusCreated, body: rec.body, webhooks: s.lifecycleMessage("session.created", "session", rec.body, now)}
	}
}

func (s *Server) get(id string) response {
	rec, bad := s.lookup(id)
	if bad != nil {
		return *bad
	}
	return response{status: http.StatusOK, body: rec.body}
}

// update looks the session up under the lock (bad, the request's 400, is
// answered only for a session that exists) and returns the function that
// merges the changes into it once the lock is released. If another update
// or a delete got there in between, it merges into the newer session, or
// answers 404.
func (s *Server) update(id string, changes map[string]any, bad *response, now time.Time) (response, func() response) {
	rec, notFound := s.lookup(id)
	if notFound != nil {
		return *notFound, nil
	}
	if bad != nil {
		return *bad, nil
	}
	return response{}, func() response {
		for {
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
			s.mu.Lock()
			cur := s.sessions[id]
			if cur == rec {
				s.sessions[id] = next
				s.mu.Unlock()
				return response{status: http.StatusOK, body: next.body, webhooks: s.lifecycleMessage("session.updated", "session", next.body, now)}
			}
			s.mu.Unlock()
			if cur == nil {
				return errorResponse(http.StatusNotFound, "Session not found")
			}
			rec = cur
		}
	}
}

func (s *Server) delete(id string, now time.Time) response {
	rec, bad := s.lookup(id)
	if bad != nil {
		return *bad
	}
	delete(s.sessions, id)
	return response{status: http.StatusOK, body: rec.body, webhooks: s.lifecycleMessage("session.deleted", "session", rec.body, now)}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// lookup finds a session: 404 when there is none, and 400 when the id is not
// a UUID (as the live API's ParseUUIDPipe answers), unless a custom id
// generator served it.
func (s *Server) lookup(id string) (*record, *response) {
	if rec := s.sessions[id]; rec != nil {
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
