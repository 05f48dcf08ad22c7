// Package deploycheck keeps template.yaml, samconfig.toml and the Makefile
// true to the code: its tests compare them with what the functions' code
// does (the AWS actions it performs, the variables it reads, the routes it
// serves), the store's table, the state machines' files and the build.
// That the template is valid CloudFormation is cfn-lint's job (.ci/run).
package deploycheck
