//go:build !linux

package dynamotest

import "errors"

// launchMoto is Linux-only (the tests must be able to stop the server they
// start however they end); elsewhere start moto_server yourself.
func launchMoto() (string, error) {
	return "", errors.New("the tests start moto_server only on Linux: run `moto_server -p 5000` and set CANDOR_DYNAMODB=http://127.0.0.1:5000")
}
