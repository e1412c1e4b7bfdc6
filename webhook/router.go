package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/govapi/vapi"
)

// Router is an http.Handler for a server URL that answers: it verifies
// each request as [NewHandler] does (same options, same statuses), parses
// the message, and hands it to the function registered for its type,
// whose answer it writes as the JSON body of a 200.
//
// Eight messages expect an answer, each with a function of its own:
// tool-calls ([Router.HandleToolCalls], or function by function with
// [Router.HandleTool]), assistant-request, transfer-destination-request,
// knowledge-base-request, voice-request, call.endpointing.request,
// handoff-destination-request and campaign.predial. [Router.Handle] takes
// every message no other function took. The answer is the bare JSON object
// Vapi reads (the spec wraps answers in {"messageResponse": ...}; Vapi's
// documentation and servers use the object itself).
//
//	r, err := webhook.NewRouter(webhook.WithHMAC(plan))
//	if err != nil {
//		log.Fatal(err)
//	}
//	r.HandleTool("get_weather", func(ctx context.Context, call vapi.ToolCall) (any, error) {
//		args, err := webhook.Arguments[struct{ City string }](call)
//		if err != nil {
//			return nil, err
//		}
//		return weather(ctx, args.City)
//	})
//	http.Handle("/vapi", r)
//
// Besides NewHandler's statuses (405, 413, 401, 400), the router answers:
//
//   - 200 with the function's answer as JSON;
//   - 200 with {} when the function's answer is nil, when no function is
//     registered for the message (Vapi then goes on without an answer),
//     and for a message passed to the Handle function;
//   - 500 when the function returns an error, or its answer does not
//     encode; the text never reaches the client.
//
// Every reason for an answer other than 200, and every tool call that
// failed, goes to the WithErrorHandler function. The functions get the
// request's context and run on the request's goroutine: Vapi waits for the
// answer (20 seconds by default), so keep them quick.
//
// Registering a function for a message that already has one panics, as
// http.ServeMux does for a pattern registered twice; so does registering
// both HandleToolCalls and HandleTool, which answer the same message, and
// a nil function. A Router is safe for concurrent use; functions may be
// registered while it serves, although they are usually all registered
// before.
type Router struct {
	v *verifier

	mu     sync.Mutex             // serialises registrations
	routes atomic.Pointer[routes] // replaced whole by each registration
}

// routes is what a Router's functions are, at one moment. A registration
// copies it, so that requests read it without a lock.
type routes struct {
	answers  map[reflect.Type]answerRoute // by the Go type of the message
	tools    map[string]toolFunc          // HandleTool, by function name
	fallback func(ctx context.Context, msg vapi.ServerMessage) error
}

// answerRoute is one typed function, wrapped to take any message of its
// type and return the JSON of its answer (nil for none).
type answerRoute struct {
	name   string // the method that registered it, for panics
	answer func(ctx context.Context, msg vapi.ServerMessage) ([]byte, error)
}

// toolFunc is a function registered with [Router.HandleTool].
type toolFunc = func(ctx context.Context, call vapi.ToolCall) (any, error)

// NewRouter returns a Router with no function registered, which verifies
// requests as the options say. Like NewHandler, it returns an error
// wrapping ErrNoVerification when no verification method is configured
// and InsecureSkipVerify is not given, and one wrapping ErrInvalidOption
// when an option cannot work.
func NewRouter(opts ...Option) (*Router, error) {
	v, err := newVerifier(opts)
	if err != nil {
		return nil, err
	}
	rt := &Router{v: v}
	rt.routes.Store(&routes{})
	return rt, nil
}

// Handle registers fn for every message that no other function of the
// router takes: the messages that expect no answer (status-update,
// end-of-call-report, transcript, ...), those that do but have no function
// registered, and a *vapi.UnknownServerMessage for a type newer than the
// SDK. They are answered 200 with {}, or 500 when fn returns an error.
func (rt *Router) Handle(fn func(ctx context.Context, msg vapi.ServerMessage) error) {
	if fn == nil {
		panic("webhook: Router.Handle: nil function")
	}
	rt.update(func(r *routes) {
		if r.fallback != nil {
			panic("webhook: Router.Handle: a function is already registered")
		}
		r.fallback = fn
	})
}

// update registers under the lock on a copy of the routes, and publishes
// the copy. A panic in change leaves the routes as they were.
func (rt *Router) update(change func(r *routes)) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	old := rt.routes.Load()
	next := &routes{
		answers:  make(map[reflect.Type]answerRoute, len(old.answers)+1),
		tools:    make(map[string]toolFunc, len(old.tools)),
		fallback: old.fallback,
	}
	for k, v := range old.answers {
		next.answers[k] = v
	}
	for k, v := range old.tools {
		next.tools[k] = v
	}
	change(next)
	rt.routes.Store(next)
}

// handleAnswer registers fn, the typed function of the message type M with
// the answer type A, under the name of the method that registers it.
func handleAnswer[M vapi.ServerMessage, A any](rt *Router, name string, fn func(ctx context.Context, msg M) (*A, error)) {
	if fn == nil {
		panic("webhook: Router." + name + ": nil function")
	}
	key := reflect.TypeFor[M]()
	rt.update(func(r *routes) {
		if _, dup := r.answers[key]; dup {
			panic("webhook: Router." + name + ": a function is already registered")
		}
		if key == toolCallsType && len(r.tools) > 0 {
			panic("webhook: Router." + name + ": HandleTool already answers tool-calls; register one or the other")
		}
		r.answers[key] = answerRoute{name: name, answer: func(ctx context.Context, msg vapi.ServerMessage) ([]byte, error) {
			a, err := fn(ctx, msg.(M))
			if err != nil || a == nil {
				return nil, err
			}
			b, err := json.Marshal(a)
			if err != nil {
				return nil, fmt.Errorf("webhook: %s: the answer does not encode: %w", name, err)
			}
			return b, nil
		}}
	})
}

// HandleTool registers fn for the function tool called name: a tool-calls
// message is answered call by call, in the order of its toolCallList (or,
// when only that is sent, of its toolWithToolCallList), with one result
// per call carrying the call's toolCallId and name.
//
// fn's value becomes the call's result: a string as it is, anything else
// as its JSON (a value that does not encode becomes the call's error). Its
// error becomes the call's error, with the error's text, which Vapi gives
// to the model: one failing tool never fails the others, and the answer is
// a 200. A call to a function no HandleTool registered gets an error
// saying so. Each failed call also goes to the WithErrorHandler function,
// as a *ToolError. The calls of one message run one after the other; a
// call whose request was cancelled before its turn is not run, and gets
// the cancellation as its error. Read the call's arguments with
// [Arguments].
//
// Registering a name twice, an empty name, a nil fn, or HandleTool on a
// router that has a HandleToolCalls function, panics.
func (rt *Router) HandleTool(name string, fn func(ctx context.Context, call vapi.ToolCall) (any, error)) {
	if name == "" {
		panic("webhook: Router.HandleTool: empty name")
	}
	if fn == nil {
		panic("webhook: Router.HandleTool: nil function for " + strconv.Quote(name))
	}
	rt.update(func(r *routes) {
		if _, taken := r.answers[toolCallsType]; taken {
			panic("webhook: Router.HandleTool: HandleToolCalls already answers tool-calls; register one or the other")
		}
		if _, dup := r.tools[name]; dup {
			panic("webhook: Router.HandleTool: a function is already registered for " + strconv.Quote(name))
		}
		r.tools[name] = fn
	})
}

// ErrUnknownTool is wrapped by the *ToolError of a tool call to a function
// that no HandleTool registered.
var ErrUnknownTool = errors.New("no function of that name is registered")

// ToolError is what a Router gives its error handler for a tool call that
// failed: the call is still answered (with 200), its result carrying the
// error's text.
type ToolError struct {
	// Name is the name of the function called.
	Name string
	// ToolCallID is the id of the call.
	ToolCallID string
	// Err is the function's error, ErrUnknownTool, or the context's error
	// for a call not run because the request was cancelled.
	Err error
}

// Error returns "webhook: tool <name> (call <id>): <reason>", with the
// name and id quoted as Go strings.
func (e *ToolError) Error() string {
	return "webhook: tool " + strconv.Quote(e.Name) + " (call " + strconv.Quote(e.ToolCallID) + "): " + e.Err.Error()
}

// Unwrap returns Err.
func (e *ToolError) Unwrap() error { return e.Err }

// ServeHTTP verifies, parses and answers one request; see [Router].
func (rt *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	msg, ok := rt.v.receive(w, req)
	if !ok {
		return
	}
	r := rt.routes.Load()
	key := reflect.TypeOf(msg)
	var answer []byte
	var err error
	switch route, found := r.answers[key]; {
	case found:
		answer, err = route.answer(req.Context(), msg)
	case key == toolCallsType && len(r.tools) > 0:
		answer, err = rt.runTools(req, msg, r.tools)
	case r.fallback != nil:
		err = r.fallback(req.Context(), msg)
	}
	if err != nil {
		rt.v.fail(w, req, http.StatusInternalServerError, err)
		return
	}
	if answer == nil {
		answer = emptyObject
	}
	writeJSON(w, answer)
}
