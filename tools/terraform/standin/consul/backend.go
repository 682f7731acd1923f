// Package consul stands in for Terraform's consul backend (see tools/terraform/go.mod).
package consul

import (
	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/imsstandin"
)

func New() backend.Backend { return imsstandin.New("consul") }
