"""The provider plugin face (issue 20)."""
