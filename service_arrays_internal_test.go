package vapi

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestArraysDecodeIntoTheirSlices(t *testing.T) {
	t.Run("union items decode to their alternatives, null to nil, an unknown kind to Unknown", func(t *testing.T) {
		var items []ToolResource
		err := decodeArray([]byte(`[{"type":"function","id":"t1"},null,{"type":"brand-new","id":"t3"}]`), reflect.ValueOf(&items).Elem(), &unionToolResource)
		require.NoError(t, err)
		require.Len(t, items, 3)
		assert.IsType(t, &FunctionTool{}, items[0])
		assert.Equal(t, "t1", items[0].(*FunctionTool).ID)
		assert.Nil(t, items[1])
		require.IsType(t, &UnknownToolResource{}, items[2])
		assert.JSONEq(t, `{"type":"brand-new","id":"t3"}`, string(items[2].(*UnknownToolResource).Raw))
	})
	t.Run("struct items decode by their own decoding", func(t *testing.T) {
		var items []Assistant
		require.NoError(t, decodeArray([]byte(`[{"id":"a1"},{"id":"a2","name":"Riley"}]`), reflect.ValueOf(&items).Elem(), nil))
		require.Len(t, items, 2)
		assert.Equal(t, "a2", items[1].ID)
		assert.Equal(t, "Riley", *items[1].Name)
	})
	t.Run("an empty array is an empty slice, not nil", func(t *testing.T) {
		var items []Assistant
		require.NoError(t, decodeArray([]byte(`[]`), reflect.ValueOf(&items).Elem(), nil))
		assert.NotNil(t, items)
		assert.Empty(t, items)
	})
	t.Run("a bad item names its index and leaves the slice nil", func(t *testing.T) {
		var items []Assistant
		err := decodeArray([]byte(`[{"id":"a1"},{"id":7}]`), reflect.ValueOf(&items).Elem(), nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "[1]")
		assert.Nil(t, items)
	})
	t.Run("an object is not an array", func(t *testing.T) {
		var items []Assistant
		assert.Error(t, decodeArray([]byte(`{"id":"a1"}`), reflect.ValueOf(&items).Elem(), nil))
	})
	t.Run("a page may come as a plain array of its results", func(t *testing.T) {
		var pg SimulationRunsPage
		require.NoError(t, (&pageOrArray{page: &pg}).UnmarshalJSON([]byte(`[{"id":"r1"}]`)))
		require.Len(t, pg.Results, 1)
		assert.Equal(t, "r1", pg.Results[0].ID)
	})
}

func TestItemOfYieldsPointersToStructsAndUnionValues(t *testing.T) {
	structs := reflect.ValueOf([]Assistant{{ID: "a1"}})
	p := itemOf[*Assistant](structs, 0)
	require.NotNil(t, p)
	assert.Equal(t, "a1", p.ID)
	assert.Same(t, &structs.Interface().([]Assistant)[0], p, "a pointer into the page, not a copy")

	unions := reflect.ValueOf([]ToolResource{&FunctionTool{ID: "t1"}, nil})
	assert.Equal(t, "t1", itemOf[ToolResource](unions, 0).(*FunctionTool).ID)
	assert.Nil(t, itemOf[ToolResource](unions, 1))
}
