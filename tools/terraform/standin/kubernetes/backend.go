// Package kubernetes stands in for Terraform's kubernetes backend (see tools/terraform/go.mod).
package kubernetes

import (
	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/imsstandin"
)

func New() backend.Backend { return imsstandin.New("kubernetes") }
