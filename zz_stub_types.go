// Temporary stand-in for the generated models (types.go), so that the client
// and the test kit can be built while the generator is written. Field names
// and shapes of the top-level types match what the generator will emit.
// This file is deleted when the generated types land.

package vapi

import "time"

// SessionStatus is a session's status.
type SessionStatus string

// Session statuses.
const (
	SessionStatusActive    SessionStatus = "active"
	SessionStatusCompleted SessionStatus = "completed"
)

// SortOrder is a sort direction.
type SortOrder string

// Sort orders.
const (
	SortOrderASC  SortOrder = "ASC"
	SortOrderDESC SortOrder = "DESC"
)

// CreateAssistantDTO is a stand-in.
type CreateAssistantDTO struct {
	Name         *string `json:"name,omitempty"`
	FirstMessage *string `json:"firstMessage,omitempty"`
}

// AssistantOverrides is a stand-in.
type AssistantOverrides struct {
	VariableValues map[string]any `json:"variableValues,omitempty"`
}

// CreateSquadDTO is a stand-in.
type CreateSquadDTO struct {
	Name *string `json:"name,omitempty"`
}

// CreateCustomerDTO is a stand-in.
type CreateCustomerDTO struct {
	Number *string `json:"number,omitempty"`
	Name   *string `json:"name,omitempty"`
}

// ImportTwilioPhoneNumberDTO is a stand-in.
type ImportTwilioPhoneNumberDTO struct {
	Number           string `json:"number"`
	TwilioAccountSID string `json:"twilioAccountSid"`
}

// CreateSessionRequest is a stand-in.
type CreateSessionRequest struct {
	Name               *string                     `json:"name,omitempty"`
	Status             SessionStatus               `json:"status,omitempty"`
	ExpirationSeconds  *float64                    `json:"expirationSeconds,omitempty"`
	AssistantID        *string                     `json:"assistantId,omitempty"`
	Assistant          *CreateAssistantDTO         `json:"assistant,omitempty"`
	AssistantOverrides *AssistantOverrides         `json:"assistantOverrides,omitempty"`
	SquadID            *string                     `json:"squadId,omitempty"`
	Squad              *CreateSquadDTO             `json:"squad,omitempty"`
	Customer           *CreateCustomerDTO          `json:"customer,omitempty"`
	CustomerID         *string                     `json:"customerId,omitempty"`
	PhoneNumberID      *string                     `json:"phoneNumberId,omitempty"`
	PhoneNumber        *ImportTwilioPhoneNumberDTO `json:"phoneNumber,omitempty"`
}

// UpdateSessionRequest is a stand-in.
type UpdateSessionRequest struct {
	Name              *string       `json:"name,omitempty"`
	Status            SessionStatus `json:"status,omitempty"`
	ExpirationSeconds *float64      `json:"expirationSeconds,omitempty"`
}

// Session is a stand-in.
type Session struct {
	ID                 string                      `json:"id"`
	OrgID              string                      `json:"orgId"`
	CreatedAt          time.Time                   `json:"createdAt"`
	UpdatedAt          time.Time                   `json:"updatedAt"`
	Cost               *float64                    `json:"cost,omitempty"`
	Name               *string                     `json:"name,omitempty"`
	Status             SessionStatus               `json:"status,omitempty"`
	ExpirationSeconds  *float64                    `json:"expirationSeconds,omitempty"`
	AssistantID        *string                     `json:"assistantId,omitempty"`
	Assistant          *CreateAssistantDTO         `json:"assistant,omitempty"`
	AssistantOverrides *AssistantOverrides         `json:"assistantOverrides,omitempty"`
	SquadID            *string                     `json:"squadId,omitempty"`
	Squad              *CreateSquadDTO             `json:"squad,omitempty"`
	Customer           *CreateCustomerDTO          `json:"customer,omitempty"`
	CustomerID         *string                     `json:"customerId,omitempty"`
	PhoneNumberID      *string                     `json:"phoneNumberId,omitempty"`
	PhoneNumber        *ImportTwilioPhoneNumberDTO `json:"phoneNumber,omitempty"`
}

// PaginationMeta is a stand-in.
type PaginationMeta struct {
	ItemsPerPage         float64    `json:"itemsPerPage"`
	TotalItems           float64    `json:"totalItems"`
	CurrentPage          float64    `json:"currentPage"`
	TotalPages           *float64   `json:"totalPages,omitempty"`
	HasNextPage          *bool      `json:"hasNextPage,omitempty"`
	NextCursor           *string    `json:"nextCursor,omitempty"`
	SortOrder            SortOrder  `json:"sortOrder,omitempty"`
	ItemsBeyondRetention *bool      `json:"itemsBeyondRetention,omitempty"`
	CreatedAtLe          *time.Time `json:"createdAtLe,omitempty"`
	CreatedAtGe          *time.Time `json:"createdAtGe,omitempty"`
}

// SessionPage is a stand-in.
type SessionPage struct {
	Results  []Session      `json:"results"`
	Metadata PaginationMeta `json:"metadata"`
}

// Validate is a stand-in that checks a few top-level constraints.
func (r *CreateSessionRequest) Validate() error {
	var v validator
	stubCheck(&v, r.Name, r.Status, r.ExpirationSeconds)
	if r.Customer != nil && r.Customer.Number != nil {
		if n := jsLength(*r.Customer.Number); n < 3 || n > 40 {
			v.fail(&path{parent: &path{name: "customer"}, name: "number"}, "must be between 3 and 40 characters")
		}
	}
	return v.err()
}

// Validate is a stand-in that checks a few top-level constraints.
func (r *UpdateSessionRequest) Validate() error {
	var v validator
	stubCheck(&v, r.Name, r.Status, r.ExpirationSeconds)
	return v.err()
}

func stubCheck(v *validator, name *string, status SessionStatus, exp *float64) {
	if name != nil && jsLength(*name) > 40 {
		v.fail(&path{name: "name"}, "must be at most 40 characters")
	}
	if status != "" && status != SessionStatusActive && status != SessionStatusCompleted {
		v.fail(&path{name: "status"}, `must be one of "active", "completed"`)
	}
	if exp != nil && (*exp < 60 || *exp > 2592000) {
		v.fail(&path{name: "expirationSeconds"}, "must be between 60 and 2592000")
	}
}
