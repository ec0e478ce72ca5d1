// Package schema defines what a valid record is.
//
// It owns one Go struct per record kind ([InvestmentTotal], [EnterpriseCount],
// [AgreementCount]), the [Source] a record cites, and the [Provenance] every
// record carries. Every field rule of the data contract is written once, as a
// go-playground/validator struct tag on those structs; the tags are the single
// source of truth from which validation, column definitions, schemas and the
// data dictionary are derived.
//
// The package knows nothing about files or formats. Readers fill the structs
// (package input), writers read them through [Column] accessors (package
// output), and [Validate] checks them. Callers never see validator's types:
// problems come back as [FieldError] values that name the contract's field
// names (joint_ventures, not JointVentures).
//
// # Kinds
//
// A kind is registered by one line in the kinds table (kinds.go). Its columns,
// in contract order, are the struct's fields in declaration order with the
// synthetic "kind" column after "id", followed by the [Provenance] columns.
//
// # Absent values
//
// An optional field is absent when it holds its zero value, except for
// pointer fields (counts and amounts, where 0 is a real value), which are
// absent when nil. Writers print absent values as an empty cell or JSON null.
package schema
