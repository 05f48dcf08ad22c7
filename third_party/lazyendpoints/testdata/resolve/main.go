// Command resolve prints what the legacy endpoint resolver of each patched
// SDK service answers for a set of regions and variants, one line each, and
// what every other patched package variable answers through the packages'
// exported functions: the services' read timeouts, the event stream codecs'
// CRC-32 and templ's CSS and script name sanitisers. The lazyendpoints test
// runs it built with and without the patch and compares.
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"os"

	"github.com/a-h/templ"
	"github.com/a-h/templ/safehtml"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	smithyeventstream "github.com/aws/smithy-go/eventstream"
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
	// The services' read timeouts are read only when this is set, before
	// the first client is made.
	if err := os.Setenv("AWS_ENABLE_DEFAULT_SOCKET_TIMEOUT_2026", "true"); err != nil {
		panic(err)
	}
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
	readTimeouts()
	eventStreams()
	sanitisers()
}

// readTimeouts prints each service client's default read timeout, which the
// SDK's table of service timeouts gives.
func readTimeouts() {
	clients := map[string]aws.HTTPClient{
		"dynamodb":       dynamodb.New(dynamodb.Options{Region: "eu-west-1"}).Options().HTTPClient,
		"s3":             s3.New(s3.Options{Region: "eu-west-1"}).Options().HTTPClient,
		"secretsmanager": secretsmanager.New(secretsmanager.Options{Region: "eu-west-1"}).Options().HTTPClient,
		"ses":            ses.New(ses.Options{Region: "eu-west-1"}).Options().HTTPClient,
		"sfn":            sfn.New(sfn.Options{Region: "eu-west-1"}).Options().HTTPClient,
	}
	for _, name := range []string{"dynamodb", "s3", "secretsmanager", "ses", "sfn"} {
		timeout, ok := clients[name].(*awshttp.BuildableClient).GetReadTimeout()
		fmt.Printf("%s read timeout: %v %v\n", name, timeout, ok)
	}
}

// eventStreams prints an event stream message as each codec (the SDK's and
// Smithy's) encodes it, and whether its checksums are the CRC-32 (IEEE) of
// what they cover, and what each decodes of it, intact and altered.
func eventStreams() {
	payload := []byte(`{"Records":{"Payload":"candor"}}`)
	sdk := eventstream.Message{Payload: payload}
	sdk.Headers.Set(":event-type", eventstream.StringValue("Records"))
	sdk.Headers.Set(":message-type", eventstream.StringValue("event"))
	eventStream("sdk", func(w io.Writer) error { return eventstream.NewEncoder().Encode(w, sdk) },
		func(r io.Reader) ([]byte, int, error) {
			m, err := eventstream.NewDecoder().Decode(r, nil)
			return m.Payload, len(m.Headers), err
		})
	smithy := smithyeventstream.Message{Payload: payload}
	smithy.Headers.Set(":event-type", smithyeventstream.StringValue("Records"))
	smithy.Headers.Set(":message-type", smithyeventstream.StringValue("event"))
	eventStream("smithy", func(w io.Writer) error { return smithyeventstream.NewEncoder().Encode(w, smithy) },
		func(r io.Reader) ([]byte, int, error) {
			m, err := smithyeventstream.NewDecoder().Decode(r, nil)
			return m.Payload, len(m.Headers), err
		})
}

func eventStream(codec string, encode func(io.Writer) error, decode func(io.Reader) ([]byte, int, error)) {
	var buf bytes.Buffer
	if err := encode(&buf); err != nil {
		fmt.Printf("%s event stream encode: %v\n", codec, err)
		return
	}
	b := buf.Bytes()
	fmt.Printf("%s event stream message: %s\n", codec, hex.EncodeToString(b))
	n := len(b)
	prelude := crc32.ChecksumIEEE(b[:8]) == binary.BigEndian.Uint32(b[8:12])
	message := crc32.ChecksumIEEE(b[:n-4]) == binary.BigEndian.Uint32(b[n-4:])
	fmt.Printf("%s event stream checksums are CRC-32 (IEEE): prelude %v, message %v\n", codec, prelude, message)
	payload, headers, err := decode(bytes.NewReader(b))
	fmt.Printf("%s event stream decoded: %q %v %v\n", codec, payload, headers, err)
	b[n-1] ^= 1
	_, _, err = decode(bytes.NewReader(b))
	fmt.Printf("%s event stream with a wrong checksum: %v\n", codec, err)
}

// sanitisers prints what templ's CSS sanitiser and script call builder make
// of safe and unsafe inputs.
func sanitisers() {
	for _, pv := range [][2]string{
		{"color", "red"}, {"color", "#fff"}, {"color", "red;background:url(x)"}, {"width", "10px"}, {"width", "calc(1px)"},
		{"z-index", "1/*x*/"}, {"padding", "1px 2px"}, {"display", "inline-block"}, {"display", "block;"},
		{"font-family", `"Helvetica", sans-serif`}, {"font-family", "sans-serif"}, {"font-family", "x<y"}, {"font-family", `"open`},
		{"background-image", `url("https://candor.example/a.png")`}, {"background-image", "url(javascript:alert(1))"},
		{"background-image", "url('/b.png'), url(c.png)"}, {"Background-Color", "blue"}, {"margin", "0"}, {"-x", "1"},
		{"x1", "y"}, {"", ""}, {"top", "*/"}, {"left", "1 //2"},
	} {
		p, v := safehtml.SanitizeCSS(pv[0], pv[1])
		fmt.Printf("css %q: %q %q\n", pv, p, v)
	}
	for _, name := range []string{"alert", "window.candor.open", "$_x9", "9x", "a.b.", "alert(1)", "a-b", ""} {
		fmt.Printf("script %q: %s | %s\n", name, templ.SafeScript(name, "x"), templ.SafeScriptInline(name, 1))
	}
}

func print[O any](service string, r resolver[O], options func(variant) O) {
	for _, region := range regions {
		for _, v := range variants {
			ep, err := r.ResolveEndpoint(region, options(v))
			fmt.Printf("%s %q %+v: %+v %v\n", service, region, v, ep, err)
		}
	}
}
