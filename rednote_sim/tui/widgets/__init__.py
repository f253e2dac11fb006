"""The room's widgets: header, chat log and cards, members, composer, key bar."""
