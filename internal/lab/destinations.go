package lab

// This file lists the internet destinations benign software talks to,
// grouped by who talks to them.

import "strconv"

// dest is a remote endpoint: host name, address and port.
type dest struct {
	URL  string
	IP   string
	Port int
}

var (
	browsing = []dest{
		{"www.google.com", "142.250.72.196", 443}, {"www.bing.com", "13.107.21.200", 443},
		{"www.linkedin.com", "13.107.42.14", 443}, {"outlook.office.com", "52.96.165.2", 443},
		{"harborline.sharepoint.com", "13.107.136.10", 443}, {"www.youtube.com", "142.250.80.46", 443},
		{"fonts.gstatic.com", "142.250.65.163", 443}, {"www.bbc.com", "151.101.0.81", 443},
		{"www.wikipedia.org", "208.80.154.224", 443}, {"www.maersk.com", "23.50.131.74", 443},
		{"www.fedex.com", "23.215.102.41", 443}, {"www.ups.com", "23.57.76.112", 443},
		{"harborline.my.salesforce.com", "13.110.22.14", 443}, {"www.weather.gov", "23.221.244.173", 443},
		{"login.microsoftonline.com", "20.190.151.68", 443}, {"www.office.com", "13.107.6.156", 443},
		{"portal.azure.com", "13.107.246.64", 443}, {"stackoverflow.com", "151.101.1.69", 443},
		{"github.com", "140.82.112.4", 443}, {"www.marinetraffic.com", "104.18.20.125", 443},
		{"edge.microsoft.com", "13.107.21.239", 443}, {"www.gstatic.com", "142.250.80.3", 443},
		{"ocsp.digicert.com", "192.229.211.108", 80}, {"clients2.google.com", "142.250.80.110", 443},
	}
	teamsDests = []dest{
		{"teams.microsoft.com", "52.113.194.132", 443}, {"teams.events.data.microsoft.com", "52.182.143.212", 443},
		{"api.flightproxy.teams.microsoft.com", "52.114.92.15", 443}, {"presence.teams.microsoft.com", "52.113.205.4", 443},
	}
	outlookDests = []dest{
		{"outlook.office365.com", "52.96.165.18", 443}, {"substrate.office.com", "52.96.88.50", 443},
		{"nexus.officeapps.live.com", "52.109.8.21", 443}, {"officeclient.microsoft.com", "52.109.20.45", 443},
	}
	oneDriveDests = []dest{
		{"harborline-my.sharepoint.com", "13.107.136.10", 443}, {"g.live.com", "13.107.42.13", 443},
	}
	windowsDests = []dest{
		{"settings-win.data.microsoft.com", "51.104.136.2", 443}, {"v10.events.data.microsoft.com", "20.189.173.4", 443},
		{"login.live.com", "20.190.151.6", 443}, {"ctldl.windowsupdate.com", "93.184.221.240", 80},
		{"fe3cr.delivery.mp.microsoft.com", "20.72.235.82", 443}, {"arc.msn.com", "20.49.150.241", 443},
		{"slscr.update.microsoft.com", "20.12.23.50", 443}, {"time.windows.com", "168.61.215.74", 123},
	}
	senseDests = []dest{
		{"winatp-gw-eus.microsoft.com", "20.42.73.25", 443}, {"us-v20.events.data.microsoft.com", "13.89.179.10", 443},
		{"edr-eus.us.endpoint.security.microsoft.com", "20.42.65.84", 443},
	}
	defenderDests = []dest{
		{"wdcp.microsoft.com", "52.184.220.82", 443}, {"definitionupdates.microsoft.com", "13.107.4.50", 443},
		{"go.microsoft.com", "23.222.79.119", 443},
	}
	updaterDests = map[string][]dest{
		"GoogleUpdate.exe":        {{"update.googleapis.com", "142.250.80.99", 443}, {"dl.google.com", "142.250.64.110", 443}},
		"MicrosoftEdgeUpdate.exe": {{"msedge.api.cdp.microsoft.com", "13.107.4.52", 443}, {"msedge.b.tlu.dl.delivery.mp.microsoft.com", "23.40.44.48", 80}},
		"OfficeClickToRun.exe":    {{"officecdn.microsoft.com", "152.199.19.161", 443}, {"mrodevicemgr.officeapps.live.com", "52.109.12.19", 443}},
		"IntuneWindowsAgent":      {{"harborline.manage.microsoft.com", "52.167.17.52", 443}, {"fef.msub02.manage.microsoft.com", "20.42.41.87", 443}},
		"MoUsoCoreWorker.exe":     {{"fe3cr.delivery.mp.microsoft.com", "20.72.235.82", 443}, {"dl.delivery.mp.microsoft.com", "23.40.44.61", 80}},
	}
	linuxDests = []dest{
		{"archive.ubuntu.com", "91.189.91.82", 80}, {"security.ubuntu.com", "185.125.190.39", 80},
		{"ntp.ubuntu.com", "185.125.190.58", 123}, {"packages.microsoft.com", "13.90.56.68", 443},
		{"api.snapcraft.io", "185.125.188.58", 443},
	}
	rhelDests = []dest{
		{"cdn.redhat.com", "23.210.5.16", 443}, {"packages.microsoft.com", "13.90.56.68", 443},
		{"subscription.rhsm.redhat.com", "23.47.180.14", 443},
	}
	mdatpDests = []dest{
		{"x.cp.wd.microsoft.com", "52.184.217.56", 443}, {"winatp-gw-eus.microsoft.com", "20.42.73.25", 443},
	}
	azureStorage = dest{"harborlinebackup.blob.core.windows.net", "20.60.153.33", 443}
	azureMonitor = dest{"eastus.handler.control.monitor.azure.com", "20.42.72.131", 443}
	devDests     = []dest{
		{"github.com", "140.82.112.4", 443}, {"api.github.com", "140.82.113.6", 443}, {"registry.npmjs.org", "104.16.27.34", 443},
		{"pypi.org", "151.101.0.223", 443}, {"files.pythonhosted.org", "151.101.1.63", 443}, {"proxy.golang.org", "142.250.80.81", 443},
	}
)

// webClients are the internet addresses that browse the public web server
// (inside the documentation range 192.0.2.0/24; none is an attacker).
var webClients = func() []string {
	var out []string
	for i := 64; i < 100; i++ {
		out = append(out, "192.0.2."+strconv.Itoa(i))
	}
	return out
}()
