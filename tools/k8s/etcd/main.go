// Command etcd is etcd's own server main (go.etcd.io/etcd/server/v3/etcdmain), built inside the Kubernetes wrapper
// module by tools/k8s/build.sh: `go install` of etcd itself fails on its replace directives, and building it here
// uses exactly the etcd version Kubernetes requires.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
