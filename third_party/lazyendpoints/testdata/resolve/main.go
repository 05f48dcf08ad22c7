// Command resolve prints what the legacy endpoint resolver of each patched
// SDK service answers for a set of regions and variants, one line each: the
// lazyendpoints test runs it built with and without the patch and compares.
package main

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// resolver is what every service's NewDefaultEndpointResolver returns, with
// the service's own options type.
type resolver[O any] interface {
	ResolveEndpoint(region string, options O) (aws.Endpoint, error)
}

var regions = []string{
	"eu-west-1", "us-east-1", "ap-southeast-2", "il-central-1", "mx-central-1", "cn-north-1",
	"eusc-de-east-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1",
	"us-gov-west-1", "fips-us-gov-west-1", "local", "xx-nowhere-9", "",
}

type variant struct {
	fips      aws.FIPSEndpointState
	dualStack aws.DualStackEndpointState
	noHTTPS   bool
}

var variants = []variant{
	{},
	{fips: aws.FIPSEndpointStateEnabled},
	{dualStack: aws.DualStackEndpointStateEnabled},
	{fips: aws.FIPSEndpointStateEnabled, dualStack: aws.DualStackEndpointStateEnabled, noHTTPS: true},
}

func main() {
	print("dynamodb", dynamodb.NewDefaultEndpointResolver(), func(v variant) dynamodb.EndpointResolverOptions {
		return dynamodb.EndpointResolverOptions{UseFIPSEndpoint: v.fips, UseDualStackEndpoint: v.dualStack, DisableHTTPS: v.noHTTPS}
	})
	print("s3", s3.NewDefaultEndpointResolver(), func(v variant) s3.EndpointResolverOptions {
		return s3.EndpointResolverOptions{UseFIPSEndpoint: v.fips, UseDualStackEndpoint: v.dualStack, DisableHTTPS: v.noHTTPS}
	})
	print("secretsmanager", secretsmanager.NewDefaultEndpointResolver(), func(v variant) secretsmanager.EndpointResolverOptions {
		return secretsmanager.EndpointResolverOptions{UseFIPSEndpoint: v.fips, UseDualStackEndpoint: v.dualStack, DisableHTTPS: v.noHTTPS}
	})
	print("ses", ses.NewDefaultEndpointResolver(), func(v variant) ses.EndpointResolverOptions {
		return ses.EndpointResolverOptions{UseFIPSEndpoint: v.fips, UseDualStackEndpoint: v.dualStack, DisableHTTPS: v.noHTTPS}
	})
	print("sfn", sfn.NewDefaultEndpointResolver(), func(v variant) sfn.EndpointResolverOptions {
		return sfn.EndpointResolverOptions{UseFIPSEndpoint: v.fips, UseDualStackEndpoint: v.dualStack, DisableHTTPS: v.noHTTPS}
	})
}

func print[O any](service string, r resolver[O], options func(variant) O) {
	for _, region := range regions {
		for _, v := range variants {
			ep, err := r.ResolveEndpoint(region, options(v))
			fmt.Printf("%s %q %+v: %+v %v\n", service, region, v, ep, err)
		}
	}
}
