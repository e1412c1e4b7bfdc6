package vapitest

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The fake Files API. POST /file takes a multipart/form-data body with a
// "file" part (its filename and Content-Type become the file's name and
// mimetype) and optional "purpose" (assistant, composer-attachment or
// knowledge-base-v2, CreateFileDTO's values) and "metadata" (a JSON
// object) parts; it reads the file part as a stream and keeps its size,
// never its content, and answers 201 with the File, status "done". Any other
// part is a 400 ("property X should not exist"), as is a body with no file
// part. GET /file (whose purpose parameter the spec requires), GET, PATCH
// (name) and DELETE /file/{id} work as for every resource. An upload is
// recorded in [Server.Requests] without its body.

// filePurposes are CreateFileDTO.purpose's values.
var filePurposes = []string{"assistant", "composer-attachment", "knowledge-base-v2"}

// maxFormValue bounds the parts of an upload other than the file.
const maxFormValue = 64 << 10

func isUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.Trim(r.URL.Path, "/") == "file"
}

// upload is a checked multipart upload.
type upload struct {
	name, mimetype, purpose string
	size                    int64
	metadata                map[string]any
}

// serveUpload answers POST /file: failures and the key are checked before
// the body is read, then the body is read part by part, without the lock.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	u := *r.URL
	s.mu.Lock()
	now := s.cfg.clock().UTC()
	s.reqSeq++
	reqID := "vapitest-" + strconv.Itoa(s.reqSeq)
	s.record(Request{Method: r.Method, URL: &u, Header: r.Header.Clone()})
	resp, _ := s.route(r, op{kind: opUpload}, now)
	s.mu.Unlock()

	if resp.status == 0 {
		up, bad := readUpload(r)
		if bad != nil {
			resp = *bad
		} else {
			s.mu.Lock()
			resp = s.storeUpload(up, now)
			s.mu.Unlock()
		}
	}
	if resp.header == nil {
		resp.header = http.Header{}
	}
	resp.header.Set("Date", now.Format(http.TimeFormat))
	resp.header.Set("X-Request-Id", reqID)
	writeResponse(w, r, resp)
}

// readUpload reads a multipart body as a stream.
func readUpload(r *http.Request) (*upload, *response) {
	bad := func(msgs ...string) (*upload, *response) {
		resp := errorResponse(http.StatusBadRequest, msgs)
		return nil, &resp
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return bad("the body must be multipart/form-data: " + err.Error())
	}
	up := &upload{}
	var msgs []string
	seenFile := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return bad("could not read the multipart body: " + err.Error())
		}
		switch name := part.FormName(); name {
		case "file":
			seenFile = true
			up.name = part.FileName()
			up.mimetype = part.Header.Get("Content-Type")
			if mt, _, err := mime.ParseMediaType(up.mimetype); err == nil {
				up.mimetype = mt
			}
			if up.mimetype == "" {
				up.mimetype = "application/octet-stream"
			}
			up.size, err = io.Copy(io.Discard, part)
			if err != nil {
				return bad("could not read the file part: " + err.Error())
			}
		case "purpose", "metadata":
			b, err := io.ReadAll(io.LimitReader(part, maxFormValue+1))
			if err != nil {
				return bad("could not read the " + name + " part: " + err.Error())
			}
			if len(b) > maxFormValue {
				msgs = append(msgs, name+" must be shorter than or equal to "+strconv.Itoa(maxFormValue)+" characters")
				continue
			}
			if name == "purpose" {
				up.purpose = string(b)
				if !contains(filePurposes, up.purpose) {
					msgs = append(msgs, "purpose must be one of the following values: "+strings.Join(filePurposes, ", "))
				}
				continue
			}
			if err := json.Unmarshal(b, &up.metadata); err != nil {
				msgs = append(msgs, "metadata must be a JSON object")
			}
		default:
			_, _ = io.Copy(io.Discard, part)
			msgs = append(msgs, "property "+name+" should not exist")
		}
		_ = part.Close()
	}
	if !seenFile {
		msgs = append(msgs, "file should not be empty")
	}
	if len(msgs) > 0 {
		return bad(msgs...)
	}
	return up, nil
}

// storeUpload stores an uploaded file's record, under the lock.
func (s *Server) storeUpload(up *upload, now time.Time) response {
	ep, _ := findEndpoint(http.MethodPost, []string{"file"})
	obj := instance(ep, "", now)
	obj["object"] = "file"
	obj["status"] = "done"
	obj["name"] = up.name
	obj["originalName"] = up.name
	obj["bytes"] = up.size
	obj["mimetype"] = up.mimetype
	if up.purpose != "" {
		obj["purpose"] = up.purpose
	}
	if up.metadata != nil {
		obj["metadata"] = up.metadata
	}
	rec, bad := s.insert("/file", "", obj, now)
	if bad != nil {
		return *bad
	}
	return response{status: ep.status, body: rec.body}
}
