import LuaBridge
import Media
import Scenes

/// `contact_sheet(scenes, path, opts)`: a PNG grid of the stills, labelled.
enum ContactSheetPrimitive {
    static func register(in session: Session) {
        let cols = ContactSheet.columnRange, widths = ContactSheet.cellWidthRange
        session.register(PrimitiveDoc(
            "contact_sheet", "contact_sheet(scenes, path, {columns=4, width=320}) -> Image",
            "Writes a PNG grid of the scenes' stills, each labelled with its index and start time; returns the sheet.",
            options: [("columns", "cells per row, \(cols.lowerBound)..\(cols.upperBound) (default \(ContactSheet.defaultColumns))"),
                      ("width", "width of a cell in pixels, \(widths.lowerBound)..\(widths.upperBound) (default \(ContactSheet.defaultCellWidth))")],
            example: "local scenes = detect(\"001.mp4\")\ncontact_sheet(scenes, \"001-sheet.png\", {columns = 5})")) { call in
            // Cheap checks first: the path and the options, then the scenes.
            guard call.type(1) == .table else {
                throw call.argumentError(1, "scenes", expected: "an array of scenes (from detect or import)", got: call.describe(1))
            }
            let path = try call.string(2, "path")
            guard !path.isEmpty else { throw call.argumentError(2, "path", expected: "a file name", got: "''") }
            var sheet = ContactSheet()
            if let t = try call.optionalTable(3, "options") {
                try t.checkKnown(["columns", "width"])
                if let v = try t.integer("columns") {
                    guard cols.contains(v) else { throw call.error("option 'columns': expected an integer \(cols.lowerBound)..\(cols.upperBound), got \(v)") }
                    sheet.columns = v
                }
                if let v = try t.integer("width") {
                    guard widths.contains(v) else { throw call.error("option 'width': expected an integer \(widths.lowerBound)..\(widths.upperBound), got \(v)") }
                    sheet.cellWidth = v
                }
            }
            let scenes = try SceneFilesPrimitives.checkScenes(call, 1)
            guard !scenes.isEmpty else { throw call.argumentError(1, "scenes", expected: "an array of scenes (from detect or import)", got: "an empty table") }
            for (k, s) in scenes.enumerated() where s.image == nil {
                throw call.error("argument #1 (scenes): scene [\(k + 1)] has no image")
            }
            return ImageValue.push(try sheet.write(scenes, to: path), call)
        }
    }
}
