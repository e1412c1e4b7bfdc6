package vapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// The calls of CallsService that are not generated: POST /call, whose one
// operation starts one call or a batch, and the seven artifact downloads,
// which answer with a redirect.

var opCallsCreate = operation{method: http.MethodPost, path: "/call"}

// Create starts one call, to req.Customer (or req.CustomerID), and returns
// it; a call starts queued. A req with Customers is a batch: use
// [CallsService.CreateBatch]. Unless [WithoutValidation] is given, req is
// validated first and an invalid one is returned as a [*ValidationError]
// without sending anything.
//
// The API takes no idempotency key: a retry after a failure that the server
// did act on (a reset connection, 500, 502, 504) starts a second call.
// [WithoutDuplicateCreates] retries only what provably did not reach it.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/calls/create
//
//meta:operation POST /call
func (s *CallsService) Create(ctx context.Context, req *CallConfig, opts ...Option) (*Call, error) {
	if req != nil && len(req.Customers) > 0 {
		return nil, errors.New("vapi: POST /call: req has customers: a batch of calls answers with a CallBatchResponse; use CreateBatch")
	}
	return callOne(ctx, s.client, &opCallsCreate, nil, nil, req, new(Call), opts)
}

// CreateBatch starts one call per customer of req.Customers (at least one)
// and returns the calls started and the customers that failed. Unless
// [WithoutValidation] is given, req is validated first. A retry after a
// failure the server acted on starts the batch twice; see
// [WithoutDuplicateCreates].
//
// Vapi API docs: https://docs.vapi.ai/api-reference/calls/create
//
//meta:operation POST /call
func (s *CallsService) CreateBatch(ctx context.Context, req *CallConfig, opts ...Option) (*CallBatchResponse, error) {
	if req == nil || len(req.Customers) == 0 {
		return nil, errors.New("vapi: POST /call: a batch needs req.Customers; to call one customer, use Create")
	}
	return callOne(ctx, s.client, &opCallsCreate, nil, nil, req, new(CallBatchResponse), opts)
}

// CallArtifact is one of the files a call leaves behind, as the API serves
// it at GET /call/{id}/<artifact>.
type CallArtifact string

// The artifacts of a call.
const (
	CallArtifactMonoRecording      CallArtifact = "mono-recording"
	CallArtifactStereoRecording    CallArtifact = "stereo-recording"
	CallArtifactVideoRecording     CallArtifact = "video-recording"
	CallArtifactCustomerRecording  CallArtifact = "customer-recording"
	CallArtifactAssistantRecording CallArtifact = "assistant-recording"
	CallArtifactPCAP               CallArtifact = "pcap"
	CallArtifactCallLogs           CallArtifact = "call-logs"
)

// artifactOps are the seven download operations, by artifact.
var artifactOps = map[CallArtifact]*operation{}

func init() {
	for _, a := range []CallArtifact{CallArtifactMonoRecording, CallArtifactStereoRecording, CallArtifactVideoRecording,
		CallArtifactCustomerRecording, CallArtifactAssistantRecording, CallArtifactPCAP, CallArtifactCallLogs} {
		artifactOps[a] = &operation{method: http.MethodGet, path: "/call/{id}/" + string(a)}
	}
}

// ArtifactURL returns where the API keeps an artifact of the call with the
// given id: it asks GET /call/{id}/<artifact>, with the key, and returns
// the Location of the API's redirect without fetching it. The location is
// usually a signed URL that grants access on its own: treat it as a
// secret, and note that it expires.
//
// Any answer other than a redirect with a Location (404 for a call without
// that artifact, 401, …) is an error; an *APIError for a status the API
// sent.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/calls/download-artifact
//
//meta:operation GET /call/{id}/mono-recording
//meta:operation GET /call/{id}/stereo-recording
//meta:operation GET /call/{id}/video-recording
//meta:operation GET /call/{id}/customer-recording
//meta:operation GET /call/{id}/assistant-recording
//meta:operation GET /call/{id}/pcap
//meta:operation GET /call/{id}/call-logs
func (s *CallsService) ArtifactURL(ctx context.Context, id string, artifact CallArtifact, opts ...Option) (string, error) {
	loc, resp, err := s.artifact(ctx, id, artifact, opts)
	if resp != nil {
		_ = resp.Body.Close()
		return "", fmt.Errorf("vapi: GET /call/{id}/%s: the API answered %d with the artifact itself, not a redirect to it; use DownloadArtifact", artifact, resp.StatusCode)
	}
	return loc, err
}

// DownloadArtifact returns the content of an artifact of the call with the
// given id. It asks the API where the artifact is (as ArtifactURL does,
// with the key) and follows the API's redirect once, with a new request
// that carries no credentials and none of the [WithHeader] headers, over
// https only (plain http is allowed to a loopback host, for tests). A
// further redirect is an error. If the API serves the artifact itself
// (200), that body is returned.
//
// The content is streamed, not read into memory, and [WithMaxResponseBytes]
// does not apply to it: the caller reads it, as much as it wants, and must
// Close it. [WithTimeout] bounds the wait for each response's headers; ctx
// bounds the whole download, reading included.
//
// Vapi API docs: https://docs.vapi.ai/api-reference/calls/download-artifact
//
//meta:operation GET /call/{id}/mono-recording
//meta:operation GET /call/{id}/stereo-recording
//meta:operation GET /call/{id}/video-recording
//meta:operation GET /call/{id}/customer-recording
//meta:operation GET /call/{id}/assistant-recording
//meta:operation GET /call/{id}/pcap
//meta:operation GET /call/{id}/call-logs
func (s *CallsService) DownloadArtifact(ctx context.Context, id string, artifact CallArtifact, opts ...Option) (io.ReadCloser, error) {
	loc, resp, err := s.artifact(ctx, id, artifact, opts)
	if err != nil {
		return nil, err
	}
	if resp != nil {
		return resp.Body, nil
	}
	what := "GET /call/{id}/" + string(artifact)
	u, err := url.Parse(loc)
	if err != nil {
		return nil, fmt.Errorf("vapi: %s: the redirect's Location is not a URL", what)
	}
	if !(u.Scheme == "https" || (u.Scheme == "http" && isLoopback(u.Hostname()))) {
		return nil, fmt.Errorf("vapi: %s: the API redirected to %s://%s; artifacts are fetched over https only", what, u.Scheme, u.Host)
	}
	cl, err := s.client.newCall(http.MethodGet, what, opts)
	if err != nil {
		return nil, err
	}
	if ctx == nil {
		return nil, cl.errorf("nil Context")
	}
	ctx, cancel := context.WithCancel(ctx)
	var timer *time.Timer
	if cl.timeout > 0 {
		timer = time.AfterFunc(cl.timeout, cancel)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("vapi: %s: %w", what, errors.New("cannot build the request to the artifact's location"))
	}
	req.Header.Set("User-Agent", cl.userAgent)
	hc := *cl.httpClient
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	got, err := hc.Do(req)
	if timer != nil && !timer.Stop() {
		// The timeout fired before the headers came.
		if got != nil {
			_ = got.Body.Close()
		}
		cancel()
		return nil, fmt.Errorf("vapi: %s: fetching the artifact from %s: %w", what, u.Host, context.DeadlineExceeded)
	}
	if err != nil {
		cancel()
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL may be signed: it stays out of the error
		}
		return nil, fmt.Errorf("vapi: %s: fetching the artifact from %s: %w", what, u.Host, newCleanError(err, cl.leaks, cl.redact))
	}
	if got.StatusCode < 200 || got.StatusCode > 299 {
		data, _ := cl.readCapped(got.Body, maxErrorBody)
		drain(got.Body)
		cancel()
		return nil, newAPIError(http.MethodGet, u.Host+" (the artifact's location)", got, data, time.Now())
	}
	return &cancelOnClose{ReadCloser: got.Body, cancel: cancel}, nil
}

// artifact asks the API for an artifact: it returns the redirect's
// location, or, when the API serves the artifact itself, its 2xx response
// with the body unread.
func (s *CallsService) artifact(ctx context.Context, id string, artifact CallArtifact, opts []Option) (string, *http.Response, error) {
	op, ok := artifactOps[artifact]
	if !ok {
		return "", nil, fmt.Errorf("vapi: GET /call/{id}/{artifact}: %q is not a call artifact: use one of the CallArtifact constants", string(artifact))
	}
	path, err := op.expand([]string{id})
	if err != nil {
		return "", nil, err
	}
	cl, err := s.client.newCall(op.method, path, opts)
	if err != nil {
		return "", nil, err
	}
	resp, err := cl.stream(ctx, "", nil, "*/*")
	if err == nil {
		return "", resp, nil
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode < 300 || apiErr.StatusCode > 399 {
		return "", nil, err
	}
	loc := apiErr.Header.Get("Location")
	if loc == "" {
		return "", nil, fmt.Errorf("vapi: %s %s: the API answered %d without a Location: %w", op.method, op.path, apiErr.StatusCode, ErrUnexpectedResponse)
	}
	base, err := url.Parse(cl.baseURL + path)
	if err != nil {
		return "", nil, err
	}
	ref, err := url.Parse(loc)
	if err != nil {
		return "", nil, fmt.Errorf("vapi: %s %s: the redirect's Location is not a URL: %w", op.method, op.path, ErrUnexpectedResponse)
	}
	return base.ResolveReference(ref).String(), nil, nil
}
