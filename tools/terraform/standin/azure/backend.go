// Package azure stands in for Terraform's azurerm backend (see tools/terraform/go.mod).
package azure

import (
	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/imsstandin"
)

func New() backend.Backend { return imsstandin.New("azurerm") }
