"""Draw the application icon (a white pillar on a blue tile): opora.png, opora.ico, opora.svg.

Run once with `python packaging/make_icon.py`; the results are committed.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
BLUE = (31, 78, 140, 255)
WHITE = (255, 255, 255, 255)
# Shapes on a 256-unit grid: tile radius, then the pillar's capital, shaft, flutes and base.
RADIUS = 48
RECTS = [
    (56, 48, 200, 76),  # capital
    (76, 76, 180, 84),  # capital's lower step
    (88, 84, 168, 184),  # shaft
    (76, 184, 180, 192),  # base's upper step
    (56, 192, 200, 212),  # base
]
FLUTES = [(108, 96, 116, 172), (140, 96, 148, 172)]


def draw(size: int) -> Image.Image:
    scale = 4  # draw large, then downsample for smooth edges
    big = 256 * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=RADIUS * scale, fill=BLUE)
    for x0, y0, x1, y1 in RECTS:
        pen.rectangle((x0 * scale, y0 * scale, x1 * scale, y1 * scale), fill=WHITE)
    for x0, y0, x1, y1 in FLUTES:
        pen.rectangle((x0 * scale, y0 * scale, x1 * scale, y1 * scale), fill=BLUE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def svg() -> str:
    def rect(box: tuple[int, int, int, int], fill: str) -> str:
        x0, y0, x1, y1 = box
        return f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" fill="{fill}"/>'

    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">',
        f'<rect width="256" height="256" rx="{RADIUS}" fill="#1f4e8c"/>',
        *(rect(box, "#ffffff") for box in RECTS),
        *(rect(box, "#1f4e8c") for box in FLUTES),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def main() -> None:
    draw(256).save(HERE / "opora.png")
    draw(256).save(HERE / "opora.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (256, 256)])
    (HERE / "opora.svg").write_text(svg(), encoding="utf-8")


if __name__ == "__main__":
    main()
