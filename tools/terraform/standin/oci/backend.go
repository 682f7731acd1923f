// Package oci stands in for Terraform's oci backend (see tools/terraform/go.mod).
package oci

import (
	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/imsstandin"
)

func New() backend.Backend { return imsstandin.New("oci") }
