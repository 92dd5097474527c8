// Package tabular holds what every CSV writer of Parley shares: the one
// way numbers are written, so that equal numbers are equal bytes whatever
// the command.
package tabular
