package lab

// This file builds the fictional company: its users, accounts, devices and
// network, all drawn from the seed.

import (
	"fmt"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

// The company. Its domains sit under .example, a name reserved for
// documentation, so no real organisation is implied.
const (
	companyName = "Harborline Freight"
	netbios     = "harbor" // AccountDomain, as MDE spells domain accounts
	dnsDomain   = "corp.harborline.example"
	upnSuffix   = "harborline.example"
	domainSID   = "S-1-5-21-2748316605-1350290734-3129074556"
	officeIP    = "192.0.2.10" // head-office internet egress (NAT)
	vpnIP       = "192.0.2.20" // remote-access VPN egress
	dnsServerIP = "10.10.1.10" // dc-01
)

// companyZone is the head office's time zone (US Eastern, standard time);
// working hours, lunch breaks and night jobs follow it.
var companyZone = time.FixedZone("UTC-5", -5*3600)

// account is an identity as the Defender tables spell it.
type account struct{ Domain, Name, Sid, Upn, ObjectID string }

// The built-in Windows service identities.
var (
	acctSystem         = &account{Domain: "nt authority", Name: "system", Sid: "S-1-5-18"}
	acctLocalService   = &account{Domain: "nt authority", Name: "local service", Sid: "S-1-5-19"}
	acctNetworkService = &account{Domain: "nt authority", Name: "network service", Sid: "S-1-5-20"}
)

// place is where a sign-in comes from.
type place struct {
	City, State, Country string
	Lat, Lon             float64
	IP, ASN              string
}

var (
	placeOffice = place{"Boston", "Massachusetts", "US", 42.3601, -71.0589, officeIP, "701"}
	placeVPN    = place{"Ashburn", "Virginia", "US", 39.0438, -77.4874, vpnIP, "8075"}
	homeTowns   = []place{
		{"Cambridge", "Massachusetts", "US", 42.3736, -71.1097, "", "7922"},
		{"Quincy", "Massachusetts", "US", 42.2529, -71.0023, "", "7922"},
		{"Somerville", "Massachusetts", "US", 42.3876, -71.0995, "", "701"},
		{"Newton", "Massachusetts", "US", 42.3370, -71.2092, "", "7922"},
		{"Providence", "Rhode Island", "US", 41.8240, -71.4128, "", "22773"},
		{"Worcester", "Massachusetts", "US", 42.2626, -71.8023, "", "7015"},
		{"Salem", "New Hampshire", "US", 42.7886, -71.2009, "", "7922"},
	}
	travelCities = []place{
		{"Chicago", "Illinois", "US", 41.8781, -87.6298, "192.0.2.61", "7018"},
		{"New York", "New York", "US", 40.7128, -74.0060, "192.0.2.62", "6128"},
		{"Atlanta", "Georgia", "US", 33.7490, -84.3880, "192.0.2.63", "7018"},
	}
)

// user is an employee: a domain account plus where and how they work.
type user struct {
	account
	First, Last, Display, Dept string
	admin                      *account // IT staff's separate admin account
	ws                         *host    // primary workstation, if any
	home                       place
	remote                     float64 // share of working days spent at home
	traveller, vpn             bool
	idx                        int
}

// service accounts run jobs; they are domain accounts too.
type fleet struct {
	users                        []*user
	hosts                        []*host
	admins                       []*user // IT staff (they have admin accounts)
	svcBackup, svcSCCM, svcSQL   *account
	svcScan                      *account
	tenantID, workspaceID, subID string // Entra tenant, Log Analytics workspace, Azure subscription
	automationApp, automationObj string // the automation service principal
	intuneScript, ccmScript      string // ids of the fleet-wide management scripts
	patchID                      string // the monthly update's download folder
	updaterTask                  string // the browser updaters' scheduled-task suffix
	nicGUID                      string // the workstation image's network interface id
	policySP, backupSP           string // Azure Policy's and Azure Backup's service principals
	patchDay                     int    // the local day (index) the monthly update installs
	shareFiles                   map[string][]string
	byKind                       map[string]*host
}

var firstNames = []string{
	"Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sophia", "Elijah", "Isabella", "Lucas",
	"Mia", "Levi", "Amelia", "Ezra", "Harper", "Asher", "Evelyn", "James", "Luna", "Leo",
	"Camila", "Aiden", "Priya", "Wei", "Fatima", "Kenji", "Chloe", "Diego", "Nora", "Omar",
	"Grace", "Samuel", "Zoe", "Ravi", "Hannah", "Daniel", "Aaliyah", "Carlos", "Ingrid", "Tomás",
	"Maya", "Jonah", "Leila", "Owen", "Ruth", "Felix", "Anika", "Marcus", "Yara", "Caleb",
}

var lastNames = []string{
	"Walsh", "Okafor", "Nguyen", "Schmidt", "Patel", "Rossi", "Kowalski", "Haddad", "Murphy", "Tanaka",
	"Garcia", "Lindqvist", "Brennan", "Costa", "Novak", "Fischer", "Mensah", "Ibrahim", "Sullivan", "Chen",
	"Moreau", "Dubois", "Reyes", "Kaur", "Andersen", "Byrne", "Kim", "Silva", "Horvat", "Larsen",
	"Quinn", "Abbott", "Delgado", "Farrell", "Gallo", "Hughes", "Iversen", "Jensen", "Keane", "Lopez",
}

var depts = []struct {
	name, code string
	weight     int
}{
	{"Operations", "ops", 30}, {"Finance", "fin", 14}, {"Sales", "sal", 16}, {"Human Resources", "hr", 6},
	{"Engineering", "eng", 12}, {"Logistics", "log", 18}, {"Legal", "leg", 4},
}

// newFleet draws the company's people and machines.
func newFleet(cfg Config) *fleet {
	g := newRNG(cfg.Seed, "fleet")
	f := &fleet{
		tenantID:    g.guid(),
		workspaceID: g.guid(),
		subID:       g.guid(),
		byKind:      map[string]*host{},
	}
	f.makeUsers(g, cfg.Users)
	f.makeHosts(g, cfg.Devices)
	f.svcBackup = f.serviceAccount(g, "svc-backup", 1201)
	f.svcSCCM = f.serviceAccount(g, "svc-sccm", 1202)
	f.svcSQL = f.serviceAccount(g, "svc-sql", 1203)
	f.svcScan = f.serviceAccount(g, "svc-vulnscan", 1204)
	f.automationApp, f.automationObj = g.guid(), g.guid()
	f.intuneScript = g.guid() + "_1"
	f.ccmScript = upperGUID(g)
	f.patchID = g.hex(32)
	f.updaterTask = upperGUID(g)
	f.nicGUID = g.guid()
	f.policySP, f.backupSP = g.guid(), g.guid()
	f.shareFiles = makeShareFiles(g)
	return f
}

// makeShareFiles lays out the file server's shares.
func makeShareFiles(g *rng) map[string][]string {
	out := map[string][]string{}
	years := []string{"2022", "2023", "2024"}
	for _, share := range shareNames {
		seen := map[string]bool{}
		for n := g.between(30, 60); len(out[share]) < n; {
			doc := pick(g, documents)
			name := doc[:len(doc)-5] + " " + pick(g, years) + doc[len(doc)-5:]
			if g.chance(0.3) {
				name = fmt.Sprintf("%s-%04d.pdf", pick(g, []string{"Invoice", "BOL", "Manifest", "Contract", "Claim"}), g.intn(10000))
			}
			path := `D:\Shares\` + share + `\` + pick(g, []string{"", "Archive\\", "Current\\", "Team\\"}) + name
			if !seen[path] {
				seen[path] = true
				out[share] = append(out[share], path)
			}
		}
	}
	return out
}

// dcs returns the domain controllers.
func (f *fleet) dcs() []*host {
	var out []*host
	for _, h := range f.hosts {
		if h.kind == kindDC {
			out = append(out, h)
		}
	}
	return out
}

// psexecTargets are the servers IT administers remotely.
func (f *fleet) psexecTargets() []*host {
	var out []*host
	for _, h := range f.hosts {
		switch h.kind {
		case kindFile, kindSQL, kindBackup, kindSCCM, kindAppWin:
			out = append(out, h)
		}
	}
	return out
}

func (f *fleet) serviceAccount(g *rng, name string, rid int) *account {
	return &account{Domain: netbios, Name: name, Sid: fmt.Sprintf("%s-%d", domainSID, rid),
		Upn: name + "@" + upnSuffix, ObjectID: g.guid()}
}

func (f *fleet) makeUsers(g *rng, n int) {
	seen := map[string]bool{}
	weights := make([]int, len(depts))
	for i, d := range depts {
		weights[i] = d.weight
	}
	for i := 0; i < n; i++ {
		first, last := pick(g, firstNames), pick(g, lastNames)
		for seen[first+last] {
			first, last = pick(g, firstNames), pick(g, lastNames)
		}
		seen[first+last] = true
		sam := asciiLower(first[:1] + last)
		for k := 2; seen["sam:"+sam]; k++ {
			sam = fmt.Sprintf("%s%d", asciiLower(first[:1]+last), k)
		}
		seen["sam:"+sam] = true
		u := &user{First: first, Last: last, Display: first + " " + last, idx: i}
		u.account = account{Domain: netbios, Name: sam, Sid: fmt.Sprintf("%s-%d", domainSID, 1104+i),
			Upn: asciiLower(first+"."+last) + "@" + upnSuffix, ObjectID: g.guid()}
		u.Dept = depts[g.weighted(weights)].name
		if i < 3 {
			u.Dept = "IT"
			u.admin = &account{Domain: netbios, Name: "adm-" + sam, Sid: fmt.Sprintf("%s-%d", domainSID, 1501+i),
				Upn: "adm-" + sam + "@" + upnSuffix, ObjectID: g.guid()}
			f.admins = append(f.admins, u)
		}
		u.home = pick(g, homeTowns)
		u.home.IP = fmt.Sprintf("192.0.2.%d", 100+i%150)
		u.remote = []float64{0, 0.2, 0.4, 0.8}[g.intn(4)]
		u.traveller = u.Dept == "Sales" && g.chance(0.5)
		u.vpn = g.chance(0.3)
		f.users = append(f.users, u)
	}
}

// asciiLower lower-cases and drops non-ASCII letters (Tomás → tomas).
func asciiLower(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == 'á':
			b.WriteByte('a')
		case r < 128:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func deptCode(name string) string {
	for _, d := range depts {
		if d.name == name {
			return d.code
		}
	}
	return "it"
}

// hostNamed returns the host called name, or nil.
func (f *fleet) hostNamed(name string) *host {
	for _, h := range f.hosts {
		if h.Name == name {
			return h
		}
	}
	return nil
}

// workstations returns the Windows workstations in fleet order.
func (f *fleet) workstations() []*host {
	var out []*host
	for _, h := range f.hosts {
		if h.kind == kindWorkstation {
			out = append(out, h)
		}
	}
	return out
}

// bootBefore returns a boot time some days before start.
func bootBefore(g *rng, start value.Datetime) value.Datetime {
	return start - value.Datetime(g.dur(6*time.Hour, 12*24*time.Hour)/100)
}
