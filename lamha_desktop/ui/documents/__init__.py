"""The admission paperwork in the GUI: "Soạn văn bản…" (a student's record, a ceremony) and "Kiểm tra mẫu"."""

from lamha_desktop.ui.documents.dialogs import DocumentDialog, TemplateCheckDialog, copy_builtin_templates

__all__ = ["DocumentDialog", "TemplateCheckDialog", "copy_builtin_templates"]
