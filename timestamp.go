package vapi

import (
	"math"
	"time"

	"github.com/govapi/vapi/internal/jsonwire"
)

// Timestamp is a point in time as Vapi sends it in server messages and
// artifacts: the spec says a number of milliseconds since the Unix epoch,
// and Vapi also sends RFC 3339 strings ("2024-07-26T22:21:15.679Z").
// Decoding accepts both and remembers which came, so that marshalling
// writes the same form back; a Timestamp built with [TimestampOf] is
// written as milliseconds.
type Timestamp struct {
	time.Time
	// RFC3339 reports that the timestamp is written as an RFC 3339 string
	// rather than as milliseconds since the epoch.
	RFC3339 bool
	// millis is the number as it came (or as TimestampOf computed it), so
	// that one finer than a nanosecond is written back as it was.
	millis float64
}

// TimestampOf returns t as a Timestamp written as milliseconds since the
// epoch.
func TimestampOf(t time.Time) Timestamp {
	ts := Timestamp{Time: t}
	ts.millis = ts.Millis()
	return ts
}

// Millis returns the timestamp as milliseconds since the Unix epoch, with
// the fraction of a millisecond when there is one.
func (t Timestamp) Millis() float64 {
	if t.millis != 0 && timeFromMillis(t.millis).Equal(t.Time) {
		return t.millis
	}
	if t.Nanosecond()%1e6 == 0 {
		return float64(t.UnixMilli())
	}
	return float64(t.UnixNano()) / 1e6
}

// timeFromMillis is the UTC time ms milliseconds after the Unix epoch.
func timeFromMillis(ms float64) time.Time {
	if ms == math.Trunc(ms) && math.Abs(ms) < 1<<53 {
		return time.UnixMilli(int64(ms)).UTC()
	}
	return time.Unix(0, int64(ms*1e6)).UTC()
}

// MarshalJSON writes the timestamp in the form it came in: a number of
// milliseconds, or an RFC 3339 string.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	var e jsonwire.Encoder
	timestampCodec{}.encode(&e, dataOf(&t))
	return e.Bytes()
}

// UnmarshalJSON reads a number of milliseconds since the epoch or an RFC
// 3339 string.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	*t = Timestamp{}
	d := jsonwire.NewDecoder(b)
	timestampCodec{}.decode(&d, dataOf(t))
	return d.End()
}
