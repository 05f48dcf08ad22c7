// Command hello is the smallest Go Lambda function: the baseline the
// functions' start-up is measured against (BenchmarkColdStart).
package main

import "github.com/aws/aws-lambda-go/lambda"

func main() {
	lambda.Start(func() (string, error) { return "hello", nil })
}
