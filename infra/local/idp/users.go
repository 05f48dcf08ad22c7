package idp

// User is a demo sign-in of the local identity provider.
type User struct {
	Username string
	Password string
	Subject  string   // the ID token's sub: what the audit trails record as the agent
	Groups   []string // the "groups" claim
	Zone     string   // the "zoneinfo" claim (IANA)
	Role     string   // what the user is, for the banner and the start page
}

// DemoPassword is every demo user's password: a local stack holds only
// demo data, and the banner prints it.
const DemoPassword = "candor-demo"

// AgentGroup is the group that makes a user a compliance agent, and Claim
// the claim that carries the groups (the console's default rule).
const (
	AgentGroup = "compliance"
	Claim      = "groups"
)

// DemoUsers are the local provider's users: two compliance agents and one
// user of a business, who may sign in but is not let into the console.
var DemoUsers = []User{
	{Username: "agent.anna", Password: DemoPassword, Subject: "agent-anna", Groups: []string{AgentGroup}, Zone: "Europe/Berlin", Role: "compliance agent"},
	{Username: "agent.ben", Password: DemoPassword, Subject: "agent-ben", Groups: []string{AgentGroup}, Zone: "America/New_York", Role: "compliance agent"},
	{Username: "business.bo", Password: DemoPassword, Subject: "business-bo", Groups: []string{"business"}, Zone: "Europe/London", Role: "business user (not an agent)"},
}
