package vapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"sync"

	"github.com/hashicorp/go-retryablehttp"
)

// UploadFileParams are the optional form fields of [FilesService.Upload].
type UploadFileParams struct {
	// Purpose is the product flow that owns the file; unset sends none.
	Purpose FilePurpose
	// Metadata is JSON-encoded metadata for the file (at most 4096
	// characters); "" sends none.
	Metadata string
}

// Validate checks p against the constraints of the API specification.
func (p *UploadFileParams) Validate() error {
	if p == nil {
		return nil
	}
	var v validator
	switch p.Purpose {
	case "", FilePurposeAssistant, FilePurposeComposerAttachment, FilePurposeKnowledgeBaseV2:
	default:
		v.failAt("purpose", `must be one of "assistant", "composer-attachment", "knowledge-base-v2"`)
	}
	v.length("metadata", p.Metadata, -1, 4096)
	return v.err()
}

// errNotReplayable is why a failed upload is not retried.
var errNotReplayable = errors.New("the upload is not retried: its body is streamed from the reader, which cannot be read again")

// Upload uploads content as a file named filename (POST /file, a
// multipart form with the file, and params' purpose and metadata) and
// returns the stored file. params may be nil; unless [WithoutValidation]
// is given, it is validated first.
//
// content is streamed: it is read as the request is sent, never held in
// memory whole, so a file of any size costs a few buffers. [WithTimeout]
// bounds the whole call, sending included: raise it for large files.
//
// Retries: a failure before any of the body was read (the connection could
// not be made) is retried as usual. Once the body has started, content
// cannot be read again, so a failure then (a reset connection, or a
// retryable status such as 503) ends the call at once with an error that
// says so, wrapping what went wrong; upload again with a fresh reader.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/files/upload
//
//meta:operation POST /file
func (s *FilesService) Upload(ctx context.Context, filename string, content io.Reader, params *UploadFileParams, opts ...Option) (*File, error) {
	cl, err := s.client.newCall(http.MethodPost, "/file", opts)
	if err != nil {
		return nil, err
	}
	if ctx == nil {
		return nil, cl.errorf("nil Context")
	}
	if filename == "" {
		return nil, cl.errorf("the file name is empty")
	}
	if content == nil {
		return nil, cl.errorf("the content is nil")
	}
	if params == nil {
		params = &UploadFileParams{}
	}
	if !cl.noValidation {
		if err := params.Validate(); err != nil {
			return nil, err
		}
	}
	if cl.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cl.timeout)
		defer cancel()
	}

	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	done := make(chan struct{})
	go func() {
		defer close(done)
		pw.CloseWithError(writeUpload(mw, filename, content, params))
	}()
	// Whatever happens, the writer stops: reading the pipe fails from now
	// on, and the goroutine ends once content's current Read returns.
	defer func() { pr.CloseWithError(errNotReplayable) }()

	body := &uploadBody{pipe: pr}
	req, err := retryablehttp.NewRequestWithContext(context.WithValue(ctx, callKey{}, cl), http.MethodPost, cl.baseURL+cl.path, retryablehttp.ReaderFunc(body.attempt))
	if err != nil {
		return nil, cl.errorf("%w", newCleanError(err, cl.leaks, cl.redact))
	}
	h := req.Header
	if cl.cred != nil {
		h.Set("Authorization", cl.cred.authorization)
	}
	h.Set("Accept", "application/json")
	h.Set("User-Agent", cl.userAgent)
	h.Set("Content-Type", mw.FormDataContentType())
	for _, kv := range cl.headers {
		h.Set(kv.key, kv.value)
	}
	resp, err := cl.retry.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		if cl.responseInto != nil {
			*cl.responseInto = Response{Attempts: cl.attempts}
		}
		return nil, cl.transportError(err)
	}
	resp.Header = cl.redactHeader(resp.Header)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, cl.apiError(ctx, resp)
	}
	if r := cl.responseInto; r != nil {
		*r = Response{StatusCode: resp.StatusCode, Header: resp.Header, RequestID: requestID(resp.Header), Attempts: cl.attempts}
	}
	out := new(File)
	if err := cl.decode(ctx, resp, out); err != nil {
		return nil, err
	}
	return out, nil
}

// writeUpload writes the multipart form: the fields, then the file.
func writeUpload(mw *multipart.Writer, filename string, content io.Reader, p *UploadFileParams) error {
	if p.Purpose != "" {
		if err := mw.WriteField("purpose", string(p.Purpose)); err != nil {
			return err
		}
	}
	if p.Metadata != "" {
		if err := mw.WriteField("metadata", p.Metadata); err != nil {
			return err
		}
	}
	part, err := mw.CreateFormFile("file", filename)
	if err != nil {
		return err
	}
	if _, err := io.Copy(part, content); err != nil {
		return fmt.Errorf("reading the content: %w", err)
	}
	return mw.Close()
}

// uploadBody hands the pipe to the attempts of one upload: to the first,
// and to a retry only while nothing of it has been read.
type uploadBody struct {
	pipe  *io.PipeReader
	mu    sync.Mutex
	calls int
	cur   *uploadAttempt
}

// attempt is the ReaderFunc of the request. retryablehttp calls it once
// when it builds the request (a probe, never read) and once per attempt.
func (b *uploadBody) attempt() (io.Reader, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls++
	if b.calls == 1 {
		return eofReader{}, nil
	}
	if b.cur != nil {
		if read, err := b.cur.state(); read > 0 {
			if err != nil {
				return nil, fmt.Errorf("%w (the attempt failed: %w)", errNotReplayable, err)
			}
			return nil, errNotReplayable
		}
	}
	b.cur = &uploadAttempt{pipe: b.pipe}
	return b.cur, nil
}

// eofReader is an empty body.
type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// uploadAttempt is the body of one attempt: it counts what was read, and
// its Close leaves the pipe open for a retry that nothing was read for.
type uploadAttempt struct {
	pipe *io.PipeReader
	mu   sync.Mutex
	read int64
	err  error
}

func (a *uploadAttempt) Read(p []byte) (int, error) {
	n, err := a.pipe.Read(p)
	a.mu.Lock()
	a.read += int64(n)
	if err != nil && err != io.EOF {
		a.err = err
	}
	a.mu.Unlock()
	return n, err
}

func (a *uploadAttempt) Close() error { return nil }

func (a *uploadAttempt) state() (int64, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.read, a.err
}
