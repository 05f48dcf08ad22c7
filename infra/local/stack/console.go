package stack

import (
	"fmt"
	"io"
	"net/http"

	"github.com/candorhq/candor/infra/local/idp"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/wire/consolefunc"
)

// The local identity provider's and the console's paths on the API's address.
const (
	IdPPath     = "/idp"
	ConsolePath = "/console"
)

// mountConsole serves the local identity provider at /idp and the
// compliance console at /console, signing in against it. The console is the
// console function's handler, called directly rather than through the
// gateway: its routes have no JWT authorizer, and it reads and sets its own
// cookies. Its session keys are made at start (a restart signs agents out),
// and its cookies lack the Secure attribute, since the stack serves plain
// http on 127.0.0.1.
func (s *Stack) mountConsole(mux *http.ServeMux) error {
	p, err := idp.New(idp.Config{Issuer: s.APIURL + IdPPath, ConsoleURL: s.APIURL + ConsolePath, Logger: s.cfg.Logger})
	if err != nil {
		return err
	}
	mux.Handle(IdPPath+"/", http.StripPrefix(IdPPath, p.Handler))
	env := s.env(map[string]string{"TABLE_NAME": s.cfg.TableName, "CONSOLE_ISSUER": p.Issuer, "CONSOLE_CLIENT_ID": idp.ClientID,
		"CONSOLE_AGENT_CLAIM": idp.Claim, "CONSOLE_AGENT_VALUE": idp.AgentGroup, "CONSOLE_URL": s.APIURL + ConsolePath,
		"DOCUMENTS_BUCKET": DocumentsBucket}, s.consoleEnv)
	h, err := consolefunc.New(env, s.awsConfig(), s.Clock, s.cfg.Logger.With("function", "candor-console"),
		consolefunc.Fixed{Keys: consoleauth.GenerateKeys(), Client: idp.ClientSecret},
		consolefunc.Options{WallClock: s.cfg.WallClock, InsecureCookie: true})
	if err != nil {
		return fmt.Errorf("candor-console: %w", err)
	}
	mux.Handle(ConsolePath, h)
	mux.Handle(ConsolePath+"/", h)
	return nil
}

// consoleBanner prints the console's URL and the demo sign-ins.
func consoleBanner(w io.Writer, s *Stack) {
	fmt.Fprintf(w, "\nCompliance console  %s%s   (sign in at the local identity provider, %s%s; password %q for everyone)\n",
		s.APIURL, ConsolePath, s.APIURL, IdPPath, idp.DemoPassword)
	for _, u := range idp.DemoUsers {
		fmt.Fprintf(w, "  %-14s %s\n", u.Username, u.Role)
	}
}
