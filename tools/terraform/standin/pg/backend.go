// Package pg stands in for Terraform's pg backend (see tools/terraform/go.mod).
package pg

import (
	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/imsstandin"
)

func New() backend.Backend { return imsstandin.New("pg") }
